/** What the gateway replies after importing a ticket file. */
export interface FileImportResult {
  records: number;
  created: number;
  updated: number;
  unchanged: number;
  otherSource: number;
  rejected: number;
  rejections?: unknown[];
}

/**
 * Sends a ticket file as the raw body of `POST /api/performance-sources/:id/file?name=…` on the
 * gateway's origin (the session cookie goes with it). XHR rather than fetch: only XHR reports
 * upload progress. Rejects with the gateway's French message.
 */
export function uploadTicketFile(
  performanceSourceId: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
  fallbackError: string,
): Promise<FileImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const url = `/api/performance-sources/${encodeURIComponent(performanceSourceId)}/file?name=${encodeURIComponent(file.name)}`;
    xhr.open("POST", url);
    xhr.withCredentials = false; // same origin: the cookie is sent anyway
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.onprogress = (event) =>
      onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
    xhr.onerror = () => reject(new Error(fallbackError));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body && typeof body === "object")
        resolve(body as FileImportResult);
      else {
        const message = (body as { message?: unknown } | undefined)?.message;
        reject(new Error(typeof message === "string" && message ? message : fallbackError));
      }
    };
    xhr.send(file);
  });
}
