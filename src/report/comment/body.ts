/** Hidden in the rendered comment; finds the comment again on the next run. */
export function commentMarker(id: string | undefined): string {
  return id === undefined ? '<!-- fluxgate -->' : `<!-- fluxgate:${id} -->`;
}

/** A `--id` fits in an HTML comment and reads well in a marker. */
export const COMMENT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * The comment as posted: the marker first, then the body, within `limit` characters. A body too
 * long is cut at a line, any fenced block or `<details>` section it leaves open is closed (so the
 * rest of the page still renders), and a note says so.
 */
export function commentBody(
  body: string,
  marker: string,
  limit: number,
  platform: string,
): { text: string; truncated: boolean } {
  const whole = `${marker}\n${body}`;
  if (whole.length <= limit) return { text: whole, truncated: false };
  const note = `\n> [!NOTE]\n> **Truncated** by fluxgate comment: the comment has ${body.length.toLocaleString('en-US')} characters, over ${platform}'s limit of ${limit.toLocaleString('en-US')}.\n`;
  // Room for the marker, the note, and the closing fence and tags added below.
  const room = limit - marker.length - 1 - note.length - 200;
  let kept = body.slice(0, Math.max(0, room));
  const lastLine = kept.lastIndexOf('\n');
  if (lastLine > 0) kept = kept.slice(0, lastLine + 1);
  else if (!kept.endsWith('\n')) kept += '\n';
  const text = `${marker}\n${kept}${closing(kept)}${note}`;
  return { text: text.length <= limit ? text : text.slice(0, limit), truncated: true };
}

/** What `text` leaves open: a code fence (CommonMark: a line of 3+ backticks or tildes), `<details>`. */
function closing(text: string): string {
  let fence: string | undefined;
  let details = 0;
  for (const line of text.split('\n')) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== undefined) {
      if (opener && opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener)
        fence = undefined;
      continue;
    }
    if (opener) fence = opener;
    else details += (line.match(/<details>/g)?.length ?? 0) - (line.match(/<\/details>/g)?.length ?? 0);
  }
  return (fence ? `${fence}\n` : '') + '</details>\n'.repeat(Math.max(0, details));
}
