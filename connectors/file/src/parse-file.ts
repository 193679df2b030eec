import { ConnectorError, type ParseFileArgs, type TicketRecord } from "@billetix/connector-sdk";
import { boundedBytes, peek } from "./byte-stream";
import { csvRows } from "./csv-rows";
import { decodeCsvText } from "./csv-text";
import { fileOptions } from "./file-config";
import { ticketRecords } from "./ticket-rows";
import { isOpenDocument, isZip, xlsxRows } from "./xlsx-rows";

/**
 * The tickets of an uploaded CSV or .xlsx file, streamed: the file is read chunk by chunk and
 * never held whole. The kind comes from the first bytes (`PK\x03\x04`: a workbook, whose first
 * sheet is read), not from the file's name.
 *
 * @throws ConnectorError `bad-file`, in French, naming the line where it helps; `bad-config`
 *   when the source's configuration is not usable
 */
export async function* parseTicketFile({
  config,
  content,
  signal,
}: ParseFileArgs): AsyncGenerator<TicketRecord> {
  const options = fileOptions(config);
  const bytes = boundedBytes(content, options.maxBytes, signal)[Symbol.asyncIterator]();
  try {
    let { head, rest } = await peek(bytes, 4);
    if (head.length === 0) throw new ConnectorError("bad-file", "Le fichier est vide (0 octet).");
    if (isZip(head)) {
      // An OpenDocument file is a zip too: it says so in its first entry, stored uncompressed.
      ({ head, rest } = await peek(rest[Symbol.asyncIterator](), 128));
      if (isOpenDocument(head))
        throw new ConnectorError(
          "bad-file",
          "Ce fichier est un classeur OpenDocument (.ods) : enregistrez-le au format Excel (.xlsx) ou CSV.",
        );
    }
    const rows = isZip(head) ? xlsxRows(rest, signal) : csvRows(decodeCsvText(rest), options.delimiter);
    yield* ticketRecords(rows, options, signal);
  } finally {
    // Not awaited: a reader may still be waiting on a stalled upload.
    bytes.return?.(undefined)?.catch(() => {});
  }
}
