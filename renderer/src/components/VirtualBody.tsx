/** The scrolling body of a virtualized table: a spacer of the full height, then only the visible rows. */
import type { ReactNode } from 'react';
import type { BodyGeometry } from './virtual.js';

export function VirtualBody(props: BodyGeometry & { renderRow: (index: number, top: number) => ReactNode; empty: ReactNode | false }) {
  const { bodyRef, items, height, renderRow, empty } = props;
  return (
    // Focusable, so the keyboard scrolls it; a row group of the table around it.
    <div className="vt-body" ref={bodyRef} role="rowgroup" tabIndex={0}>
      <div style={{ height }} aria-hidden="true" />
      {items.map((it) => renderRow(it.index, it.start))}
      {empty !== false && (
        <div className="faint" style={{ position: 'absolute', padding: 16 }} role="row">
          <div role="cell">{empty}</div>
        </div>
      )}
    </div>
  );
}
