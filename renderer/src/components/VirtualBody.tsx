/** The scrolling body of a virtualized table: a spacer of the full height, then only the visible rows. */
import type { ReactNode, RefObject } from 'react';

export function VirtualBody(props: {
  bodyRef: RefObject<HTMLDivElement | null>;
  rowHeight: number;
  count: number;
  first: number;
  last: number;
  renderRow: (index: number, top: number) => ReactNode;
  empty: ReactNode | false;
}) {
  const { bodyRef, rowHeight, count, first, last, renderRow, empty } = props;
  return (
    // Focusable, so the keyboard scrolls it; a row group of the table around it.
    <div className="vt-body" ref={bodyRef} role="rowgroup" tabIndex={0}>
      <div style={{ height: count * rowHeight }} aria-hidden="true" />
      {Array.from({ length: Math.max(0, Math.min(last, count) - first) }, (_, n) => renderRow(first + n, (first + n) * rowHeight))}
      {empty !== false && (
        <div className="faint" style={{ position: 'absolute', padding: 16 }} role="row">
          <div role="cell">{empty}</div>
        </div>
      )}
    </div>
  );
}
