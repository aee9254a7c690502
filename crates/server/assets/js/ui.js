// Small DOM helpers shared by the pages: an element builder, the alert and status lines, number
// formats, a sortable table and a Chart.js wrapper.

/**
 * Build an element: h("a", {href: "#/x", class: "y"}, "text", child).
 * Attributes starting with "on" are event listeners; `false`/`null` attributes are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith("on") && typeof value === "function") {
      node.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "class") {
      node.className = value;
    } else if (value === true) {
      node.setAttribute(key, "");
    } else {
      node.setAttribute(key, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Show an API error (or any Error) in the page's alert; screen readers announce it (role=alert). */
export function showError(error) {
  const box = document.getElementById("alert");
  const text = document.getElementById("alert-text");
  const code = error && error.code ? `${error.code}: ` : "";
  const again = error && error.status === 401 ? " Sign in again on the Sign in page." : "";
  text.textContent = `Error — ${code}${error && error.message ? error.message : String(error)}${again}`;
  box.hidden = false;
}

export function clearError() {
  document.getElementById("alert").hidden = true;
  document.getElementById("alert-text").textContent = "";
}

/** A polite status line ("Saved", "Solving…"). */
export function announce(message) {
  document.getElementById("status").textContent = message;
}

const pctFormat = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const pct4Format = new Intl.NumberFormat("en-US", { minimumFractionDigits: 4, maximumFractionDigits: 4 });
const intFormat = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 12.3 → "12.3%" (one decimal); null → "—". */
export function pct(value) {
  return isFiniteNumber(value) ? `${pctFormat.format(noNegativeZero(value, 1))}%` : "—";
}

/** The value, or 0 when it rounds to zero at `decimals` (so -0.00001 never shows as "-0.0"). */
function noNegativeZero(value, decimals) {
  return Math.abs(value) < 0.5 * 10 ** -decimals ? 0 : value;
}

/** A welfare change in percent, signed, four decimals (deals move welfare by hundredths of a percent): 0.00241 → "+0.0024%". */
export function signedPct(value) {
  if (!isFiniteNumber(value)) return "—";
  value = noNegativeZero(value, 4);
  const sign = value > 0 ? "+" : value < 0 ? "−" : "";
  return `${sign}${pct4Format.format(Math.abs(value))}%`;
}

/** USD in billions: 1.5e11 → "$150.0 bn". */
export function usdBn(value) {
  return isFiniteNumber(value) ? `$${pctFormat.format(value / 1e9)} bn` : "—";
}

export function integer(value) {
  return isFiniteNumber(value) ? intFormat.format(value) : "—";
}

export function isFiniteNumber(value) {
  return typeof value === "number" && Number.isFinite(value);
}

/** The class for a signed number (green up, red down). */
export function signClass(value) {
  return !isFiniteNumber(value) || value === 0 ? "" : value > 0 ? "pos" : "neg";
}

/**
 * A table whose column headers are buttons that sort it (aria-sort tells assistive technology).
 * columns: [{key, label, numeric?, format?(value,row), value?(row)}]. Returns {element, update(rows)}.
 */
export function sortableTable({ caption, columns, rows, id }) {
  let sortKey = null;
  let ascending = true;
  let data = rows.slice();
  const valueOf = (column, row) => (column.value ? column.value(row) : row[column.key]);

  const headerCells = columns.map((column) =>
    h("th", { scope: "col", class: column.numeric ? "num" : null, "data-key": column.key },
      h("button", { type: "button", class: "sort", onclick: () => sortBy(column) }, column.label)),
  );
  const tbody = h("tbody");
  const table = h("table", { id },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {}, headerCells)),
    tbody);

  function sortBy(column) {
    ascending = sortKey === column.key ? !ascending : !column.numeric;
    sortKey = column.key;
    data.sort((a, b) => {
      const x = valueOf(column, a);
      const y = valueOf(column, b);
      // Missing values sort last either way.
      if (x === null || x === undefined) return 1;
      if (y === null || y === undefined) return -1;
      const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return ascending ? order : -order;
    });
    headerCells.forEach((th, i) => {
      if (columns[i].key === sortKey) th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      else th.removeAttribute("aria-sort");
    });
    renderBody();
  }

  function renderBody() {
    tbody.replaceChildren(
      ...data.map((row) =>
        h("tr", {},
          columns.map((column, i) => {
            const value = valueOf(column, row);
            const shown = column.format ? column.format(value, row) : value ?? "—";
            const attrs = { class: column.numeric ? "num" : null };
            return i === 0 ? h("th", { scope: "row", ...attrs }, shown) : h("td", attrs, shown);
          }),
        ),
      ),
    );
  }

  renderBody();
  return {
    element: h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption }, table),
    update(newRows) {
      data = newRows.slice();
      const column = columns.find((c) => c.key === sortKey);
      if (column) {
        ascending = !ascending; // sortBy flips it back
        sortBy(column);
      } else {
        renderBody();
      }
    },
  };
}

/**
 * A Chart.js chart in a labelled box; the chart is an image for assistive technology, the table
 * next to it holds the same numbers. Returns the Chart (or null when Chart.js did not load).
 */
export function chartBox(container, label, config, { tall = false } = {}) {
  const canvas = h("canvas", { role: "img", "aria-label": label });
  const box = h("div", { class: tall ? "chart-box tall" : "chart-box" }, canvas);
  container.append(box);
  if (!window.Chart) {
    box.replaceChildren(h("p", { class: "muted" }, "The chart library did not load; the table below has the numbers."));
    return null;
  }
  return new window.Chart(canvas, {
    ...config,
    options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
  });
}

/** A labelled form field: h-label wrapping the control, with an optional hint. */
let fieldCount = 0;
export function field(labelText, control, hint) {
  fieldCount += 1;
  const id = control.id || `field-${fieldCount}`;
  control.id = id;
  const hintNode = hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null;
  if (hintNode) control.setAttribute("aria-describedby", hintNode.id);
  return h("div", { class: "field" }, h("label", { for: id }, labelText), control, hintNode);
}
