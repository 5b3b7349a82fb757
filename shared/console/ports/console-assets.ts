/** One built file of the console, ready to send. */
export type ConsoleAsset = {
  contentType: string;
  body: Uint8Array;
  /** The body gzip-compressed, when that is smaller. */
  gzip?: Uint8Array;
  /** Strong validator of the body (quoted, as the header carries it). */
  etag: string;
};

/** The console's built files by name (`index.html`, `app.js`, …); a name it lacks is undefined. */
export interface ConsoleAssets {
  get(name: string): ConsoleAsset | undefined;
}
