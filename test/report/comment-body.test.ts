import { marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { commentBody, commentMarker } from '../../src/report/comment/body.js';

describe('the posted comment body', () => {
  it('is the marker and the body when it fits', () => {
    expect(commentBody('### fluxgate diff\n', commentMarker(undefined), 65_536, 'GitHub')).toEqual({
      text: '<!-- fluxgate -->\n### fluxgate diff\n',
      truncated: false,
    });
    expect(commentMarker('prod')).toBe('<!-- fluxgate:prod -->');
  });

  it('over the limit: cut at a line, the open fence and sections closed, the cut said', () => {
    const line = `+ ${'x'.repeat(78)}\n`;
    const body = `### fluxgate diff\n\n<details>\n<summary>prod-aks</summary>\n\n\`\`\`diff\n${line.repeat(1000)}\`\`\`\n</details>\n`;
    const { text, truncated } = commentBody(body, commentMarker(undefined), 20_000, 'GitHub');
    expect(truncated).toBe(true);
    expect(text.length).toBeLessThanOrEqual(20_000);
    expect(text.startsWith('<!-- fluxgate -->\n### fluxgate diff\n')).toBe(true);
    expect(text).toContain(
      `**Truncated** by fluxgate comment: the comment has ${body.length.toLocaleString('en-US')} characters, over GitHub's limit of 20,000.`,
    );
    expect((text.match(/^```/gm) ?? []).length % 2).toBe(0);
    const html = marked.parse(text, { async: false });
    expect(html.match(/<details>/g)?.length).toBe(html.match(/<\/details>/g)?.length);
    // Every kept diff line is whole.
    expect(
      text
        .split('\n')
        .filter((l) => l.startsWith('+ '))
        .every((l) => l.length === 80),
    ).toBe(true);
  });
});
