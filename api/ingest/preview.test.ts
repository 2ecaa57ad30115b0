import { describe, expect, it } from 'vitest';
import { previewRowFile } from './preview.ts';
import { bytesSource } from './sources.ts';

describe('column-mapping preview', () => {
  it('shows the columns, the first rows and the proposed mapping, with unmapped columns as metadata', async () => {
    const csv = ['article_id,headline,content,outlet,date,section', ...Array.from({ length: 30 }, (_, i) => `A-${i},Title ${i},Body ${i}.,Wire,2024-01-0${(i % 9) + 1},World`)].join('\n');
    const p = await previewRowFile(bytesSource('news.csv', csv), {}, 2);
    expect(p).toMatchObject({
      format: 'csv',
      columns: ['article_id', 'headline', 'content', 'outlet', 'date', 'section'],
      rows: [
        { article_id: 'A-0', headline: 'Title 0', content: 'Body 0.', outlet: 'Wire', date: '2024-01-01', section: 'World' },
        { article_id: 'A-1', headline: 'Title 1', content: 'Body 1.', outlet: 'Wire', date: '2024-01-02', section: 'World' },
      ],
      problems: [],
      metadata: ['section'],
      error: null,
    });
    expect(p.mapping).toEqual({ text: 'content', title: 'headline', author: null, source: 'outlet', published: 'date', url: null, language: null, country: null, notes: null, id: 'article_id', label: null, stance: null, themes: null });
  });

  it('follows an edited mapping and says when no column holds the text', async () => {
    const jsonl = '{"story":"A long story.","kind":"news"}\n{"story":"Another.","kind":"blog"}\n';
    const none = await previewRowFile(bytesSource('rows.jsonl', jsonl));
    expect(none.error).toBe('no text column in the first JSON object (looked for text, content, body, article, article_text, full_text, fulltext, maintext; columns: story, kind); use --map text=<column>');
    expect(none.metadata).toEqual(['story', 'kind']);
    const mapped = await previewRowFile(bytesSource('rows.jsonl', jsonl), { text: 'story' });
    expect([mapped.error, mapped.mapping.text, mapped.metadata, mapped.rows.length]).toEqual([null, 'story', ['kind'], 2]);
  });

  it('lists rows that cannot be read among those shown', async () => {
    const p = await previewRowFile(bytesSource('rows.jsonl', '{"text":"ok"}\nnot json\n'));
    expect(p.problems).toEqual([{ line: 2, column: null, reason: 'line 2 is not valid JSON (Unexpected token \'o\', "not json" is not valid JSON)' }]);
  });
});
