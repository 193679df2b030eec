/** A cell as a reader gives it: text, or a workbook's number (a price keeps its precision). */
export type Cell = string | number;

/** One row of a CSV file or a worksheet. */
export interface SheetRow {
  /** Where it starts in the file (the header is usually line 1). */
  line: number;
  cells: Cell[];
}
