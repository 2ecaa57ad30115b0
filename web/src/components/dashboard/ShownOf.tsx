/** "Shown N of M": how many rows a view gives their own row, and how many it sums in "others". */
export function ShownOf({ rows, others, groupBy }: { rows: number; others: number; groupBy: string | null }) {
  const unit = groupBy === null ? 'sources' : `${groupBy} groups`;
  if (others === 0) return rows > 0 ? <p className="muted dash-shown">{`${rows} ${unit}, largest first.`}</p> : null;
  const own = rows - 1;
  return <p className="muted dash-shown">{`The ${own} largest of ${own + others} ${unit} by volume, largest first; the other ${others} are summed in "others" (Show: all, or pick sources, to see them one by one).`}</p>;
}
