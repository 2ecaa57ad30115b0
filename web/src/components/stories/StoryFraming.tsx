import { Link } from 'react-router-dom';
import type { StoryDetail, StoryDocument } from '../../lib/api/stories.ts';
import { UserText } from '../UserText.tsx';

/** A label and stance, or a dash. */
function Framing({ label, stance, extra }: { label: string | null; stance: number | null; extra?: string | null }) {
  if (label === null && stance === null) return <span className="muted">–</span>;
  return (
    <span>
      {label ?? <span className="muted">no label</span>}
      {stance !== null && ` · stance ${stance > 0 ? '+' : ''}${stance}`}
      {extra && <span className="muted"> ({extra})</span>}
    </span>
  );
}

const METHOD: Record<StoryDocument['method'], string> = { similarity: 'similar title and lead', llm: 'provider check', syndicated: 'syndicated copy', person: 'placed by a person' };

interface Props {
  story: StoryDetail;
  selected: ReadonlySet<number>;
  onToggle: (documentId: number) => void;
  onPassages: (d: StoryDocument) => void;
  onRemove: (d: StoryDocument) => void;
}

/**
 * Each outlet's article of the story in one row: its framing on the model, people and final
 * bases side by side, and the evidence quotes the suggestions cite, all document text isolated.
 */
export function StoryFraming({ story, selected, onToggle, onPassages, onRemove }: Props) {
  const groupsOf = new Map(story.sources.map((s) => [s.id, [s.country, s.language, ...Object.entries(s.groups).map(([g, v]) => `${g}: ${v}`)].filter((x): x is string => !!x)]));
  return (
    <div className="story-framing-scroll">
      <table className="grid story-framing" data-testid="story-framing">
        <thead>
          <tr>
            <th>Outlet and article</th>
            <th>Model</th>
            <th>People{story.peopleBasis === 'people' ? '' : ` (${story.peopleBasis})`}</th>
            <th>Final</th>
            <th>Evidence</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {story.documents.map((d) => (
            <tr key={d.documentId} data-document-id={d.documentId} data-source={d.source} className={d.counted ? undefined : 'muted'}>
              <td className="story-article">
                <label className="story-outlet">
                  <input type="checkbox" aria-label={`Select ${d.title}`} checked={selected.has(d.documentId)} onChange={() => onToggle(d.documentId)} />{' '}
                  <strong>
                    <UserText text={d.source} />
                  </strong>
                </label>
                <div className="muted small">
                  {(groupsOf.get(d.sourceId) ?? []).map((g, k) => (
                    <span key={g}>
                      {k > 0 && ' · '}
                      <UserText text={g} />
                    </span>
                  ))}
                </div>
                <Link to={`/documents/${d.documentId}`}>
                  <UserText text={d.title} />
                </Link>
                <div className="muted small">
                  {d.published ?? 'undated'} · {METHOD[d.method]}
                  {d.similarity !== null && ` ${d.similarity.toFixed(2)}`}
                  {d.duplicateOf !== null && ` · copy of document ${d.duplicateOf}${d.counted ? '' : ', counted once'}`}
                  {d.note && (
                    <>
                      {' · '}
                      <UserText text={d.note} />
                    </>
                  )}
                </div>
              </td>
              <td data-basis="model">
                <Framing label={d.model.label} stance={d.model.stance} extra={d.model.confidence === null ? null : `confidence ${d.model.confidence.toFixed(2)}`} />
              </td>
              <td data-basis="people">
                <Framing label={d.people.label} stance={d.people.stance} />
              </td>
              <td data-basis="final">
                <Framing label={d.final.label} stance={d.final.stance} extra={d.final.origin} />
                {Object.keys(d.passageLabels).length > 0 && (
                  <div className="muted small">
                    passages: {Object.entries(d.passageLabels).map(([l, n]) => `${l} ${n}`).join(', ')}
                  </div>
                )}
              </td>
              <td>
                {d.evidence.length === 0 ? (
                  <span className="muted">–</span>
                ) : (
                  <ul className="story-quotes">
                    {d.evidence.map((e, k) => (
                      <li key={k}>
                        <q>
                          <UserText text={e.quote} />
                        </q>{' '}
                        <span className="muted small">({e.label})</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                <button type="button" className="linklike" onClick={() => onPassages(d)}>
                  Passages
                </button>{' '}
                <button type="button" className="linklike" onClick={() => onRemove(d)}>
                  Remove
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
