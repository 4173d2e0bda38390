/* kg viewer: the timeline, the personnel figures and the amounts, on one time axis.

   Plain SVG and plain JavaScript, no third-party code. Text from the documents is
   only ever set with textContent or as an attribute value, never as markup.
   Zoom with the mouse wheel or the buttons, pan by dragging; every chart follows. */
(function (KG) {
  "use strict";

  const NS = "http://www.w3.org/2000/svg";
  const DAY = 86400000;
  const YEAR = 365.25 * DAY;
  const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const WIDE_LEFT = 128; // the lane labels: code and name
  const NARROW_LEFT = 58; // on a narrow screen: the code only
  const NARROW = 560; // charts narrower than this have the narrow labels
  const RIGHT = 20;
  const AXIS = 26; // the date labels above the timeline and below the charts
  const ROW = 15; // one row of period bars
  const MAX_ROWS = 24; // more overlapping periods share the rows that end first
  const STUB = 30; // a period's side the text does not state: a short open stub, never a date
  const OPEN_MARK = 12; // the "?" beyond the open end of a stub
  const CHAR = 6.3; // the width of a character of a bar's label, about
  const EVENT_ROWS = 3;
  const EVENT_ROW = 11;
  const STRIP = 128; // one mission's personnel figures
  const ZERO_GAP = 12; // a figure of 0 sits this far below the log scale's 1
  const SPENDING = 230; // Dutch spending
  const OTHERS = 130; // estimates by others, when shown
  const COMPONENT_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
  ];
  const WHOLE = "#222222"; // a figure for a whole contribution, no component named
  // A lane, strip or series draws an element per fact while the visible span holds at
  // most one fact per four pixels of its width; more are drawn as a density (Layer)
  const PER_PIXEL = 0.25;
  const BIN = 2; // the width of a column of the events' density, in pixels
  const CELL = 3; // the size of a cell of the figures' and amounts' density, in pixels
  const NEAR = 6; // a click on a density selects the nearest fact this close, in pixels

  function svg(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    for (const key in attrs) node.setAttribute(key, attrs[key]);
    if (parent) parent.appendChild(node);
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function text(parent, x, y, content, cls) {
    const node = svg("text", { x: x, y: y, class: cls || "" }, parent);
    node.textContent = content;
    return node;
  }

  /* --- the time scale ------------------------------------------------------------------ */

  class TimeAxis {
    constructor(onChange) {
      this.home = [Date.UTC(2014, 0, 1), Date.UTC(2025, 0, 1)];
      this.t0 = this.home[0];
      this.t1 = this.home[1];
      this.width = 900;
      this.onChange = onChange;
    }
    setHome(t0, t1, move) {
      this.home = [t0, t1];
      if (move) {
        this.t0 = t0;
        this.t1 = t1;
      }
    }
    get left() {
      return this.width < NARROW ? NARROW_LEFT : WIDE_LEFT;
    }
    get narrow() {
      return this.width < NARROW;
    }
    get plot() {
      return Math.max(50, this.width - this.left - RIGHT);
    }
    x(t) {
      return this.left + ((t - this.t0) / (this.t1 - this.t0)) * this.plot;
    }
    time(x) {
      return this.t0 + ((x - this.left) / this.plot) * (this.t1 - this.t0);
    }
    /* Milliseconds per pixel at the home span: to lay out what has a size in pixels. */
    get homePerPixel() {
      return (this.home[1] - this.home[0]) / this.plot;
    }
    zoom(factor, atX) {
      const at = this.time(atX === undefined ? this.left + this.plot / 2 : atX);
      let span = (this.t1 - this.t0) * factor;
      span = Math.min(Math.max(span, 14 * DAY), 60 * YEAR);
      const share = (at - this.t0) / (this.t1 - this.t0);
      this.t0 = at - share * span;
      this.t1 = this.t0 + span;
      this.onChange();
    }
    pan(dx) {
      const dt = (dx / this.plot) * (this.t1 - this.t0);
      this.t0 -= dt;
      this.t1 -= dt;
      this.onChange();
    }
    reset() {
      this.t0 = this.home[0];
      this.t1 = this.home[1];
      this.onChange();
    }
  }

  /* Tick marks for the visible span: years, months or days, about one per 80 px. */
  function ticks(t0, t1, plot) {
    const most = Math.max(2, Math.floor(plot / 80));
    const years = (t1 - t0) / YEAR;
    const out = [];
    const first = new Date(t0);
    for (const step of [1, 2, 5, 10, 20]) {
      if (years / step <= most) {
        for (let y = Math.ceil(first.getUTCFullYear() / step) * step; ; y += step) {
          const t = Date.UTC(y, 0, 1);
          if (t > t1) break;
          if (t >= t0) out.push({ t: t, label: String(y), major: true });
        }
        return out;
      }
    }
    return out;
  }

  function fineTicks(t0, t1, plot) {
    const most = Math.max(2, Math.floor(plot / 80));
    const months = (t1 - t0) / (YEAR / 12);
    if (months / 12 > most / 1.2) return ticks(t0, t1, plot);
    const first = new Date(t0);
    for (const step of months < 3 ? [] : [1, 2, 3, 6, 12]) {
      if (step === 12) return ticks(t0, t1, plot);
      if (months / step <= most) {
        const out = [];
        let y = first.getUTCFullYear();
        let m = first.getUTCMonth();
        for (;;) {
          const t = Date.UTC(y, m, 1);
          if (t > t1) break;
          if (t >= t0 && m % step === 0) {
            out.push({ t: t, label: m === 0 ? String(y) : MONTHS[m] + " " + y, major: m === 0 });
          }
          m += 1;
          if (m === 12) {
            m = 0;
            y += 1;
          }
        }
        return out;
      }
    }
    const days = (t1 - t0) / DAY;
    const step = [1, 2, 7, 14].find((s) => days / s <= most) || 14;
    const out = [];
    for (let t = Date.UTC(first.getUTCFullYear(), first.getUTCMonth(), first.getUTCDate()); t <= t1; t += DAY) {
      const d = new Date(t);
      if (t >= t0 && (d.getUTCDate() - 1) % step === 0 && d.getUTCDate() < 29) {
        out.push({ t: t, label: d.getUTCDate() + " " + MONTHS[d.getUTCMonth()] + " " + d.getUTCFullYear(), major: d.getUTCDate() === 1 });
      }
    }
    return out;
  }

  /* The smallest of 1, 2, 5, 10, 20, 50... at or above v (10 at least): a log scale's top. */
  function logCeil(v) {
    let top = 10;
    for (let p = 1; top < v; p++) {
      for (const m of [2, 5, 10]) {
        top = m * Math.pow(10, p);
        if (top >= v) break;
      }
    }
    return top;
  }

  /* The ticks of a log scale from 1 to top: 1, 2, 5, 10, 20, 50... */
  function logTicks(top) {
    const out = [];
    for (let p = 0; Math.pow(10, p) <= top; p++) {
      for (const m of [1, 2, 5]) {
        const v = m * Math.pow(10, p);
        if (v <= top) out.push(v);
      }
    }
    return out;
  }

  function compactAmount(v) {
    if (v >= 1e9) return v / 1e9 + "bn";
    if (v >= 1e6) return v / 1e6 + "M";
    if (v >= 1e3) return v / 1e3 + "k";
    return String(v);
  }

  /* --- one chart: an svg with its own marks, sharing the time axis ---------------------- */

  class Chart {
    constructor(charts, element, axisAt) {
      this.charts = charts;
      this.element = element;
      this.axisAt = axisAt; // "top" or "bottom"
      this.items = []; // {type, node, t0, t1, ...}: what draw() moves
      this.height = 60;
      this.plotTop = 0;
      this.plotBottom = 60;
    }
    reset(height) {
      clear(this.element);
      this.items = [];
      this.height = height;
      const id = this.element.id + "-clip";
      const defs = svg("defs", {}, this.element);
      const clip = svg("clipPath", { id: id }, defs);
      this.clipRect = svg("rect", { x: this.charts.axis.left, y: 0, width: 10, height: height }, clip);
      this.defs = defs;
      this.back = svg("g", { class: "back" }, this.element); // lane backgrounds, labels
      this.grid = svg("g", { class: "grid" }, this.element);
      this.plot = svg("g", { "clip-path": "url(#" + id + ")" }, this.element);
      this.words = svg("g", { "clip-path": "url(#" + id + ")" }, this.element); // bars' labels
      this.cursors = svg("g", { class: "cursors", "clip-path": "url(#" + id + ")" }, this.element);
      this.front = svg("g", { class: "front" }, this.element);
      this.element.setAttribute("height", height);
    }
  }

  /* The marks of one lane's events, one mission's figures or one series' amounts.
     While the visible span holds few enough of them for the pixels (``capacity``),
     each is its own element, made when first shown and kept for reuse; beyond that,
     what is visible is drawn as one density (``spec.dense``: a few paths, however many
     facts), with the selected fact on its own on top. A click on the density selects
     the fact nearest to it (``nearest``). ``spec``: ``make(entry)`` makes an entry's
     elements and returns the item draw() places (``nodes`` in drawing order);
     ``span(entry)`` the times it covers; ``distance(entry, x, y, axis)`` how far its
     mark is from a place in the chart, in pixels. */
  class Layer {
    constructor(charts, group, entries, capacity, spec) {
      this.charts = charts;
      this.group = group;
      this.entries = entries;
      this.capacity = capacity;
      this.spec = spec;
      this.id = charts.layers.push(this) - 1;
      this.made = new Map(); // entry -> its item
      this.shown = new Set(); // the entries whose elements are in the group
      this.paths = []; // the density's elements, made when first needed
      this.visible = entries;
      this.dense = false;
      // few enough for the whole span: every element now, as a chart of few facts has
      this.few = entries.length <= capacity;
      if (this.few) for (const entry of entries) this.attach(entry);
    }

    attach(entry) {
      let item = this.made.get(entry);
      if (!item) {
        item = this.spec.make(entry);
        this.made.set(entry, item);
      }
      if (!this.shown.has(entry)) {
        for (const node of item.nodes) this.group.appendChild(node);
        this.shown.add(entry);
      }
      return item;
    }

    detach(entry) {
      const item = this.made.get(entry);
      for (const node of item.nodes) node.remove();
      if (item.label) {
        item.label.remove(); // made again when there is room (Charts.placeLabels)
        item.label = null;
      }
      this.shown.delete(entry);
    }

    /* Place the elements for the axis's span: ``place`` places one item. */
    draw(axis, place) {
      if (this.few) {
        for (const entry of this.entries) place(this.made.get(entry));
        return;
      }
      if (!this.spans) this.spans = this.entries.map((entry) => this.spec.span(entry));
      const t0 = axis.t0;
      const t1 = axis.t1;
      this.visible = this.entries.filter((entry, n) => this.spans[n][1] >= t0 && this.spans[n][0] <= t1);
      this.dense = this.visible.length > this.capacity;
      const selected = this.charts.selectedFact;
      const wanted = this.dense ? this.visible.filter((entry) => entry.fact.index === selected) : this.visible;
      const keep = new Set(wanted);
      for (const entry of Array.from(this.shown)) if (!keep.has(entry)) this.detach(entry);
      const shapes = this.dense ? this.spec.dense(this.visible, axis) : [];
      shapes.forEach((shape, n) => {
        if (!this.paths[n]) {
          this.paths[n] = svg("path", { "data-dense": this.id }, null);
          this.group.insertBefore(this.paths[n], this.group.firstChild);
        }
        const path = this.paths[n];
        for (const key in shape) if (path.getAttribute(key) !== String(shape[key])) path.setAttribute(key, shape[key]);
        path.removeAttribute("display");
      });
      for (let n = shapes.length; n < this.paths.length; n++) this.paths[n].setAttribute("display", "none");
      for (const entry of wanted) place(this.attach(entry));
    }

    /* The visible fact nearest to (x, y) in the chart, within NEAR pixels, and how
       many visible facts are that close. */
    nearest(x, y, axis) {
      let best = null;
      let distance = Infinity;
      let near = 0;
      for (const entry of this.visible) {
        const d = this.spec.distance(entry, x, y, axis);
        if (d > NEAR) continue;
        near += 1;
        if (d < distance) {
          distance = d;
          best = entry;
        }
      }
      return { fact: best ? best.fact : null, near: near };
    }
  }

  /* The facts of each lane (by its code), in their order. */
  function lanesOf(facts) {
    const byLane = new Map();
    for (const f of facts) {
      if (!byLane.has(f.lane)) byLane.set(f.lane, []);
      byLane.get(f.lane).push(f);
    }
    return byLane;
  }

  /* Where a fact of times t0, t1 (either null) is drawn: the middle of its days. */
  function middle(axis, t0, t1) {
    if (t0 !== null && t1 !== null) return (axis.x(t0) + axis.x(t1 + DAY)) / 2;
    return axis.x(t0 !== null ? t0 : t1);
  }

  /* The times a mark of t0, t1 (either null) covers. */
  function covers(t0, t1) {
    return [t0 !== null ? t0 : t1, (t1 !== null ? t1 : t0) + DAY];
  }

  /* A density of events: per column of BIN pixels, a bar whose height grows with the
     logarithm of how many events are there, up to ``height`` at the fullest column. */
  function histogram(xs, bottom, height, left, right) {
    const counts = new Map();
    for (const x of xs) {
      if (x < left || x > right) continue;
      const bin = Math.floor((x - left) / BIN);
      counts.set(bin, (counts.get(bin) || 0) + 1);
    }
    const most = Math.max(1, ...counts.values());
    const parts = [];
    for (const bin of Array.from(counts.keys()).sort((a, b) => a - b)) {
      const h = Math.max(3, Math.round((height * Math.log2(1 + counts.get(bin))) / Math.log2(1 + most)));
      parts.push("M" + (left + bin * BIN) + "," + bottom + "v-" + h + "h" + BIN + "v" + h + "z");
    }
    return parts.join("");
  }

  /* Per row (its top: the pixel ranges on it), the ranges joined where they meet, as
     one path of rectangles ``height`` high. */
  function merged(rows, height) {
    const parts = [];
    for (const top of Array.from(rows.keys()).sort((a, b) => a - b)) {
      const ranges = rows.get(top).sort((p, q) => p[0] - q[0]);
      let [a, b] = ranges[0];
      for (const [c, d] of ranges.slice(1).concat([[Infinity, Infinity]])) {
        if (c <= b + 1) {
          b = Math.max(b, d);
          continue;
        }
        parts.push("M" + Math.round(a) + "," + top + "h" + Math.max(1, Math.round(b - a)) + "v" + height + "h-" + Math.max(1, Math.round(b - a)) + "z");
        [a, b] = [c, d];
      }
    }
    return parts.join("");
  }

  /* A density of marks at (x, y, colour) with the lines of the times they apply to:
     per colour, a square of CELL pixels wherever one or more marks are, and each line
     once per pixel it starts, ends and lies at. */
  function cells(points, left, right, clamp) {
    const byColour = new Map();
    for (const p of points) {
      if (!byColour.has(p.colour)) byColour.set(p.colour, { cells: new Set(), lines: new Set() });
      const own = byColour.get(p.colour);
      if (p.x >= left - CELL && p.x <= right + CELL) own.cells.add(Math.floor(p.x / CELL) + "," + Math.floor(p.y / CELL));
      if (p.a !== null && p.b !== null) {
        const a = Math.round(clamp(p.a));
        const b = Math.round(clamp(p.b));
        if (b > a) own.lines.add(a + "," + Math.round(p.y) + "," + b);
      }
    }
    const shapes = [];
    for (const colour of Array.from(byColour.keys()).sort()) {
      const own = byColour.get(colour);
      const lines = Array.from(own.lines).sort().map((key) => {
        const [a, y, b] = key.split(",");
        return "M" + a + "," + y + "H" + b;
      });
      if (lines.length) shapes.push({ d: lines.join(""), stroke: colour, fill: "none", class: "span dense" });
    }
    for (const colour of Array.from(byColour.keys()).sort()) {
      const squares = Array.from(byColour.get(colour).cells).sort().map((key) => {
        const [i, j] = key.split(",");
        return "M" + i * CELL + "," + j * CELL + "h" + CELL + "v" + CELL + "h-" + CELL + "z";
      });
      if (squares.length) shapes.push({ d: squares.join(""), fill: colour, stroke: "none", class: "density cells" });
    }
    return shapes;
  }

  class Charts {
    constructor(app) {
      this.app = app;
      this.axis = new TimeAxis(() => this.schedule());
      this.timeline = new Chart(this, document.getElementById("timeline"), "top");
      this.personnel = new Chart(this, document.getElementById("personnel"), "bottom");
      this.spending = new Chart(this, document.getElementById("spending"), "bottom");
      this.all = [this.timeline, this.personnel, this.spending];
      this.byFact = new Map(); // fact index -> its nodes, to show the selection
      this.byPhase = new Map(); // phase index -> its nodes
      this.layers = []; // the lanes' events, the figures and the amounts (Layer)
      this.selectedFact = null;
      this.pending = false;
      this.cursorTimes = [];
      for (const chart of this.all) this.listen(chart.element);
      this.tip = document.getElementById("tip");
    }

    /* Mouse wheel zooms around the pointer, dragging pans, a click selects a mark. */
    listen(element) {
      let start = null;
      let last = 0;
      let dragged = false;
      element.addEventListener(
        "wheel",
        (e) => {
          e.preventDefault();
          const box = element.getBoundingClientRect();
          this.axis.zoom(Math.exp(Math.max(-3, Math.min(3, e.deltaY * 0.0015))), e.clientX - box.left);
        },
        { passive: false },
      );
      element.addEventListener("pointerdown", (e) => {
        if (e.button !== 0) return;
        start = e.clientX;
        last = e.clientX;
        dragged = false;
      });
      element.addEventListener("pointermove", (e) => {
        if (start === null) {
          this.hover(e);
          return;
        }
        if (!dragged && Math.abs(e.clientX - start) > 3) {
          dragged = true;
          element.setPointerCapture(e.pointerId);
          element.classList.add("dragging");
          this.hideTip();
        }
        if (dragged) {
          this.axis.pan(e.clientX - last);
          last = e.clientX;
        }
      });
      const stop = () => {
        start = null;
        element.classList.remove("dragging");
      };
      element.addEventListener("pointerup", stop);
      element.addEventListener("pointercancel", stop);
      element.addEventListener("pointerleave", () => this.hideTip());
      element.addEventListener("click", (e) => {
        if (dragged) {
          dragged = false;
          return;
        }
        const mark = e.target.closest("[data-fact],[data-phase],[data-dense]");
        if (!mark) return;
        if (mark.hasAttribute("data-dense")) {
          const found = this.nearestIn(mark, e);
          if (found.fact) this.app.select(found.fact.index);
        } else if (mark.hasAttribute("data-phase")) this.app.selectPhase(Number(mark.getAttribute("data-phase")));
        else this.app.select(Number(mark.getAttribute("data-fact")));
      });
    }

    /* The fact of a density (``mark``) nearest to a pointer event's place. */
    nearestIn(mark, e) {
      const box = mark.ownerSVGElement.getBoundingClientRect();
      return this.layers[Number(mark.getAttribute("data-dense"))].nearest(e.clientX - box.left, e.clientY - box.top, this.axis);
    }

    hover(e) {
      const mark = e.target.closest ? e.target.closest("[data-fact],[data-phase],[data-dense]") : null;
      if (!mark) {
        this.hideTip();
        return;
      }
      if (mark.hasAttribute("data-dense")) {
        const found = this.nearestIn(mark, e);
        if (!found.fact) {
          this.hideTip();
          return;
        }
        const more = found.near > 1 ? " · " + (found.near - 1) + " more here: zoom in to see each" : "";
        this.tip.textContent = this.app.summary(found.fact) + more;
      } else if (mark.hasAttribute("data-phase")) this.tip.textContent = this.app.phaseSummary(this.app.phases[Number(mark.getAttribute("data-phase"))]);
      else this.tip.textContent = this.app.summary(this.app.facts[Number(mark.getAttribute("data-fact"))]);
      this.tip.hidden = false;
      const x = Math.min(e.clientX + 14, window.innerWidth - this.tip.offsetWidth - 8);
      this.tip.style.left = x + window.scrollX + "px";
      this.tip.style.top = e.clientY + 16 + window.scrollY + "px";
    }

    hideTip() {
      this.tip.hidden = true;
    }

    schedule() {
      if (this.pending) return;
      this.pending = true;
      requestAnimationFrame(() => {
        this.pending = false;
        this.draw();
      });
    }

    remember(index, node) {
      let nodes = this.byFact.get(index);
      if (!nodes) {
        nodes = [];
        this.byFact.set(index, nodes);
      }
      nodes.push(node);
      node.setAttribute("data-fact", index);
      if (index === this.selectedFact) node.classList.add("selected");
    }

    rememberPhase(index, node) {
      let nodes = this.byPhase.get(index);
      if (!nodes) {
        nodes = [];
        this.byPhase.set(index, nodes);
      }
      nodes.push(node);
      node.setAttribute("data-phase", index);
    }

    /* Lay out the facts that pass the filters (``facts``, and ``byTime`` the same by
       their middle day): lanes, rows, strips; then draw. With ``phases`` (those that
       pass), the timeline's bars are the phases, one per contribution phase; without
       (null), one per period fact, as its sentence says. */
    setFacts(facts, byTime, lanes, types, phases) {
      this.byFact = new Map();
      this.byPhase = new Map();
      this.layers = [];
      this.laidOut = this.plotWidth();
      this.axis.width = this.laidOut || 900;
      const show = (kind) => types.has(kind);
      document.getElementById("timeline-box").hidden = !(show("event") || show("period"));
      document.getElementById("personnel-box").hidden = !show("personnel");
      document.getElementById("spending-box").hidden = !show("budget");
      // the charts are made out of the page and put back whole: every attribute set on
      // an element in the page has the browser redo its styles (ten times slower)
      const places = this.all.map((chart) => [chart.element, chart.element.parentNode, chart.element.nextSibling]);
      for (const [element, parent] of places) parent.removeChild(element);
      try {
        this.layoutTimeline(facts, byTime, lanes, show("period"), show("event"), phases || null);
        this.layoutPersonnel(facts, lanes);
        this.layoutSpending(facts);
        this.select(this.app.selected);
        this.selectPhase(this.app.shownPhase());
        this.draw();
      } finally {
        for (const [element, parent, next] of places) parent.insertBefore(element, next);
      }
    }

    /* The width of the charts: of the view that holds them (0 while it is hidden). */
    plotWidth() {
      return document.getElementById("view-time").clientWidth;
    }

    /* The left part of a lane: its colour, code and (when there is room) name. */
    laneLabel(chart, lane, top, height, name) {
      const label = svg("g", { "data-mission": lane.code, class: "lane-label" }, chart.front);
      svg("rect", { x: 6, y: top + 10, width: 5, height: Math.max(10, height - 20), fill: lane.colour }, label);
      // narrow: the code alone, at the top, above a chart's scale (see scaleTop)
      if (this.axis.narrow) text(label, 16, top + 14, lane.code, "lane-code small");
      else {
        text(label, 16, top + 24, lane.code, "lane-code");
        text(label, 16, top + 38, name, "lane-name");
      }
      return label;
    }

    /* The time a bar takes on its row at the home zoom, with its label when that
       does not fit inside: where another bar of the row may start. */
    extent(f) {
      const per = this.axis.homePerPixel;
      const lo = f.t0 !== null ? f.t0 : f.t1 + DAY - (STUB + OPEN_MARK) * per;
      let hi = f.t1 !== null ? f.t1 + DAY : f.t0 + (STUB + OPEN_MARK) * per;
      const words = (f.title || "").length * CHAR + 10;
      if ((hi - lo) / per < words || f.t0 === null || f.t1 === null) hi += (words + 8) * per;
      return [lo, hi];
    }

    /* What a phase's bar is made of, in pixels, for a time-to-pixel function X:
       - the body, from the start to the end the texts state (a disputed side: from
         the inner edge of the days its documents give); a side no text states is a
         short stub (``stub``: "start" or "end"), never a date;
       - the zones of a disputed side: from the first to the last day the
         disagreeing documents give;
       - the plan, from the planned start (else the body's) to the planned end (else
         the body's), drawn dotted, apart from what is stated, with a tick at each
         planned side;
       - a mark beyond each side that is not stated: "?" unstated, "≠" disputed.
       ``lo``/``hi`` are the drawn extent, ``lead``/``tail`` the marks beyond it. */
    phaseShape(p, X) {
      const zone = (z) => {
        if (!z) return null;
        const lo = X(z[0]);
        return [lo, Math.max(lo + 6, X(z[1] + DAY))];
      };
      const zs = zone(p.zs);
      const ze = zone(p.ze);
      const s = p.t0 !== null ? X(p.t0) : zs ? zs[1] : null;
      const e = p.t1 !== null ? X(p.t1 + DAY) : ze ? ze[0] : null;
      let body = null;
      let stub = null;
      if (s !== null && e !== null) body = [s, Math.max(s + 3, e)];
      else if (s !== null) {
        body = [s, s + STUB];
        stub = "end";
      } else if (e !== null) {
        body = [e - STUB, e];
        stub = "start";
      }
      const ps = p.p0 !== null ? X(p.p0) : null;
      const pe = p.p1 !== null ? X(p.p1 + DAY) : null;
      let plan = null;
      const ticks = [ps, pe].filter((x) => x !== null);
      if (ticks.length && body && !stub) {
        // beside a body stated at both sides, only what the plan adds to it is dotted
        const before = ps !== null && ps < body[0] - 1;
        const after = pe !== null && pe > body[1] + 1;
        if (before && after) plan = [ps, pe];
        else if (before) plan = [ps, body[0]];
        else if (after) plan = [body[1], pe];
      } else if (ticks.length) {
        const from = ps !== null ? ps : body ? body[0] : pe - STUB;
        const to = pe !== null ? pe : body ? body[1] : ps + STUB;
        const lo = Math.min(from, to);
        plan = [lo, Math.max(lo + 3, from, to)];
      }
      const parts = [body, zs, ze, plan].filter(Boolean);
      const lo = Math.min.apply(null, parts.map((x) => x[0]));
      const hi = Math.max.apply(null, parts.map((x) => x[1]));
      // a side that is not stated: its mark next to the stub, else beyond the zone or
      // the plan, on that side
      let startMark = null;
      let endMark = null;
      if (p.start_status !== "stated") startMark = (stub === "start" ? body[0] : zs ? zs[0] : body && !plan ? body[0] : lo) - OPEN_MARK + 2;
      if (p.end_status !== "stated") endMark = (stub === "end" ? body[1] : ze ? ze[1] : body && !plan ? body[1] : hi) + 3;
      const lead = startMark !== null ? Math.max(0, lo - startMark) : 0;
      const tail = endMark !== null ? Math.max(0, endMark + OPEN_MARK - 3 - hi) : 0;
      return { body: body, stub: stub, zs: zs, ze: ze, plan: plan, ticks: ticks, startMark: startMark, endMark: endMark, lo: lo, hi: hi, lead: lead, tail: tail };
    }

    /* Whether a phase has anything to draw: a stated side, a plan or a disputed zone. */
    drawable(p) {
      return p.t0 !== null || p.t1 !== null || p.p0 !== null || p.p1 !== null || p.zs !== null || p.ze !== null;
    }

    /* The time a phase's bar takes on its row at the home zoom, with its label. */
    phaseExtent(p) {
      const per = this.axis.homePerPixel;
      const t0 = this.axis.home[0];
      const shape = this.phaseShape(p, (t) => (t - t0) / per);
      const words = (p.title || "").length * CHAR + 10;
      let hi = shape.hi + shape.tail;
      if (shape.stub || !shape.body || shape.hi - shape.lo < words) hi += words + 8;
      return [t0 + (shape.lo - shape.lead) * per, t0 + hi * per];
    }

    layoutTimeline(facts, byTime, lanes, periods, events, phases) {
      const chart = this.timeline;
      const plan = [];
      let y = AXIS + 4;
      const byLane = lanesOf(facts);
      const timed = lanesOf(byTime);
      for (const lane of lanes) {
        const own = byLane.get(lane.code) || [];
        let bars = [];
        if (phases) bars = phases.filter((p) => p.lane === lane.code && this.drawable(p));
        else if (periods) bars = own.filter((f) => f.kind === "period" && (f.t0 !== null || f.t1 !== null));
        // in time order: events[i] goes on row i % EVENT_ROWS
        const points = events ? (timed.get(lane.code) || []).filter((f) => f.kind === "event" && (f.t0 !== null || f.t1 !== null)) : [];
        const spans = new Map(bars.map((f) => [f, phases ? this.phaseExtent(f) : this.extent(f)]));
        bars.sort((a, b) => spans.get(a)[0] - spans.get(b)[0] || spans.get(a)[1] - spans.get(b)[1] || a.index - b.index);
        const ends = [];
        const rows = bars.map((f) => {
          const [from, to] = spans.get(f);
          let row = ends.findIndex((end) => end < from);
          if (row < 0 && ends.length < MAX_ROWS) row = ends.push(-Infinity) - 1;
          if (row < 0) row = ends.indexOf(Math.min.apply(null, ends));
          ends[row] = Math.max(ends[row], to);
          return row;
        });
        const barRows = Math.max(ends.length, bars.length ? 1 : 0);
        const height = Math.max(44, 8 + barRows * ROW + (points.length ? EVENT_ROWS * EVENT_ROW + 8 : 0) + 6);
        plan.push({ lane: lane, top: y, height: height, bars: bars, rows: rows, points: points, barRows: barRows });
        y += height;
      }
      // the phases with nothing to place in time (no side stated or planned, no days
      // of a dispute) are said, not drawn
      const unplaced = phases ? phases.filter((f) => !this.drawable(f)) : [];
      const note = document.getElementById("timeline-note");
      note.hidden = !unplaced.length;
      note.textContent = unplaced.length
        ? (unplaced.length === 1 ? "One phase has no start or end stated or planned and is not drawn: " : unplaced.length + " phases have no start or end stated or planned and are not drawn: ") + unplaced.slice(0, 3).map((f) => f.title).join("; ") + (unplaced.length > 3 ? "; …" : "") + "."
        : "";
      chart.reset(Math.max(y + 8, AXIS + 60));
      chart.plotTop = AXIS;
      chart.plotBottom = y;
      this.fades(chart, lanes);
      if (!plan.length) text(chart.front, this.axis.left + 8, AXIS + 30, "Nothing on the timeline matches the filters.", "empty");
      plan.forEach((p, n) => {
        const lane = p.lane;
        svg("rect", { x: 0, y: p.top, width: "100%", height: p.height, class: n % 2 ? "lane odd" : "lane" }, chart.back);
        const group = svg("g", { "data-mission": lane.code, class: "lane-marks" }, chart.plot);
        const labels = svg("g", { "data-mission": lane.code, class: "lane-words" }, chart.words);
        this.laneLabel(chart, lane, p.top, p.height, lane.short);
        const bars = [];
        p.bars.forEach((f, i) => {
          const top = p.top + 6 + p.rows[i] * ROW;
          if (phases) {
            this.phaseBar(chart, group, labels, lane, f, top, lane.key + ":" + p.rows[i]);
            return;
          }
          bars.push({ fact: f, top: top, row: lane.key + ":" + p.rows[i] });
        });
        if (bars.length) this.barLayer(chart, group, labels, lane, bars);

        const eventsTop = p.top + 8 + p.barRows * ROW + 2;
        if (p.points.length) this.eventLayer(chart, group, lane, p.points, eventsTop);
      });
    }

    /* A lane's period facts (the mentions toggle), a bar each on its row (``top``):
       a side the text does not state a short stub with a "?" beyond it; more than the
       lane's pixels can show, per row one path of where bars are, the stated, the
       unsure and the stubs apart. */
    barLayer(chart, group, labels, lane, entries) {
      const capacity = Math.round(this.axis.plot * PER_PIXEL);
      const layer = new Layer(this, group, entries, capacity, {
        make: (entry) => {
          const f = entry.fact;
          const top = entry.top;
          // a side the text does not state is a short stub, faded toward that side,
          // with a "?" beyond it: never drawn as if the text gave a date there
          const open = f.t0 === null ? "start" : f.t1 === null ? "end" : null;
          const fill = open ? "url(#fade-" + open + "-" + lane.key + ")" : lane.colour;
          // a period the sentence plans, expects or doubts is drawn dotted: never as stated
          const unsure = f.modality && f.modality !== "stated" ? " unsure" : "";
          const bar = svg("rect", { y: top, height: ROW - 4, rx: 2, fill: fill, class: "bar" + (open ? " open open-" + open : "") + unsure }, null);
          if (open) bar.setAttribute("data-open", open);
          this.remember(f.index, bar);
          let mark = null;
          let edge = null;
          if (open) {
            mark = text(null, 0, top + ROW - 6, "?", "open-mark");
            this.remember(f.index, mark);
            edge = svg("line", { y1: top - 1, y2: top + ROW - 3, stroke: lane.colour, class: "bar-edge" }, null);
          }
          // the label is made when there is room for it (placeLabels): text is costly
          const nodes = [bar, mark, edge].filter(Boolean);
          return { type: "bar", node: bar, label: null, labels: labels, y: top + ROW - 7, fact: f.index, mark: mark, edge: edge, open: open, name: f.title || "", t0: f.t0, t1: f.t1, row: entry.row, nodes: nodes };
        },
        span: (entry) => {
          const f = entry.fact;
          return f.t0 === null ? [f.t1, f.t1 + DAY] : f.t1 === null ? [f.t0, f.t0 + DAY] : [f.t0, f.t1 + DAY];
        },
        distance: (entry, x, y) => {
          if (y < entry.top - 1 || y > entry.top + ROW - 3) return Infinity; // another row
          const [a, b] = this.barRange(entry.fact, this.axis);
          return Math.max(0, a - x, x - b);
        },
        dense: (visible, axis) => {
          const kinds = { stated: new Map(), unsure: new Map(), open: new Map() };
          for (const entry of visible) {
            const f = entry.fact;
            const kind = f.t0 === null || f.t1 === null ? "open" : f.modality && f.modality !== "stated" ? "unsure" : "stated";
            const rows = kinds[kind];
            if (!rows.has(entry.top)) rows.set(entry.top, []);
            rows.get(entry.top).push(this.barRange(f, axis));
          }
          const paint = { stated: "density bars", unsure: "density bars unsure", open: "density bars open" };
          return Object.keys(kinds).map((kind) => ({ d: merged(kinds[kind], ROW - 4), fill: lane.colour, stroke: lane.colour, class: paint[kind] }));
        },
      });
      chart.items.push({ type: "layer", layer: layer });
    }

    /* Where a period fact's bar is, in pixels, with the "?" beyond a stub. */
    barRange(f, axis) {
      const clamp = (v) => Math.max(axis.left - 40, Math.min(axis.width - RIGHT + 40, v));
      if (f.t0 === null) {
        const b = clamp(axis.x(f.t1 + DAY));
        return [b - STUB - OPEN_MARK, b];
      }
      const a = clamp(axis.x(f.t0));
      if (f.t1 === null) return [a, a + STUB + OPEN_MARK];
      return [a, Math.max(a + 3, clamp(axis.x(f.t1 + DAY)))];
    }

    /* A lane's events, on EVENT_ROWS rows in turn from ``top``: a dot each, with a line
       for the days its date can mean; more than the lane's pixels can show, a density. */
    eventLayer(chart, group, lane, points, top) {
      const bottom = top + EVENT_ROWS * EVENT_ROW;
      const entries = points.map((f, i) => ({ fact: f, cy: top + 5 + (i % EVENT_ROWS) * EVENT_ROW }));
      const layer = new Layer(this, group, entries, Math.round(this.axis.plot * PER_PIXEL), {
        make: (entry) => {
          const f = entry.fact;
          // the days the date can mean; a date of one day is its dot (fewer elements)
          const open = f.t0 === null || f.t1 === null;
          const line = open || f.t1 > f.t0 ? svg("line", { y1: entry.cy, y2: entry.cy, stroke: lane.colour, class: open ? "range open" : "range" }, null) : null;
          const dot = svg("circle", { cy: entry.cy, r: 4, fill: lane.colour, class: "event" }, null);
          this.remember(f.index, dot);
          return { type: "point", node: dot, line: line, t0: f.t0, t1: f.t1, nodes: line ? [line, dot] : [dot] };
        },
        span: (entry) => covers(entry.fact.t0, entry.fact.t1),
        distance: (entry, x, y, axis) => Math.abs(middle(axis, entry.fact.t0, entry.fact.t1) - x), // the events' rows are one column
        dense: (visible, axis) => [
          {
            d: histogram(visible.map((entry) => middle(axis, entry.fact.t0, entry.fact.t1)), bottom, bottom - top - 2, axis.left, axis.left + axis.plot),
            fill: lane.colour,
            class: "density events",
          },
        ],
      });
      chart.items.push({ type: "layer", layer: layer });
    }

    /* The elements of one phase's bar (see phaseShape), drawn in that order: the plan
       behind, the disputed zones, the body, the stub's stated edge, the ticks of the
       planned sides, the marks. draw() places them. */
    phaseBar(chart, group, labels, lane, p, top, row) {
      const own = (node) => {
        this.rememberPhase(p.index, node);
        return node;
      };
      const height = ROW - 4;
      const item = { type: "phase", phase: p.index, p: p, label: null, labels: labels, y: top + ROW - 7, name: p.title || "", row: row };
      item.plan = p.p0 !== null || p.p1 !== null ? own(svg("rect", { y: top, height: height, rx: 2, fill: lane.colour, stroke: lane.colour, class: "plan" }, group)) : null;
      item.zones = [];
      for (const side of ["start", "end"]) {
        if ((side === "start" ? p.zs : p.ze) === null) continue;
        const zone = own(svg("rect", { y: top, height: height, fill: "url(#hatch-" + lane.key + ")", stroke: lane.colour, class: "zone", "data-side": side }, group));
        item.zones.push({ side: side, node: zone });
      }
      const stub = p.t0 === null && p.zs === null ? "start" : p.t1 === null && p.ze === null ? "end" : null;
      const anchored = p.t0 !== null || p.t1 !== null || p.zs !== null || p.ze !== null;
      item.body = null;
      item.edge = null;
      if (anchored) {
        const open = stub; // the side with nothing to place: a stub
        const fill = open ? "url(#fade-" + open + "-" + lane.key + ")" : lane.colour;
        item.body = own(svg("rect", { y: top, height: height, rx: 2, fill: fill, class: "bar phase" + (open ? " open open-" + open : "") }, group));
        if (open) {
          item.body.setAttribute("data-open", open);
          item.edge = svg("line", { y1: top - 1, y2: top + ROW - 3, stroke: lane.colour, class: "bar-edge" }, group);
        }
      }
      item.ticks = [p.p0, p.p1].filter((t) => t !== null).map(() => svg("line", { y1: top - 2, y2: top + ROW - 2, stroke: lane.colour, class: "plan-tick" }, group));
      const mark = (status) => (status === "unstated" ? own(text(group, 0, top + ROW - 6, "?", "open-mark")) : status === "disputed" ? own(text(group, 0, top + ROW - 6, "≠", "open-mark disputed-mark")) : null);
      item.startMark = mark(p.start_status);
      item.endMark = mark(p.end_status);
      chart.items.push(item);
    }

    /* Put a phase's elements where the visible span says (see phaseShape). */
    placePhase(item, clamp) {
      const axis = this.axis;
      const shape = this.phaseShape(item.p, (t) => clamp(axis.x(t)));
      const place = (node, range) => {
        node.setAttribute("x", range[0]);
        node.setAttribute("width", Math.max(1, range[1] - range[0]));
      };
      if (item.plan && shape.plan) {
        item.plan.removeAttribute("display");
        place(item.plan, shape.plan);
      } else if (item.plan) item.plan.setAttribute("display", "none"); // nothing planned beyond what is stated: its ticks only
      for (const zone of item.zones) {
        const range = zone.side === "start" ? shape.zs : shape.ze;
        if (range) place(zone.node, range);
      }
      if (item.body && shape.body) place(item.body, shape.body);
      if (item.edge) {
        const known = shape.stub === "start" ? shape.body[1] : shape.body[0];
        item.edge.setAttribute("x1", known);
        item.edge.setAttribute("x2", known);
      }
      shape.ticks.forEach((x, n) => {
        item.ticks[n].setAttribute("x1", x);
        item.ticks[n].setAttribute("x2", x);
      });
      if (item.startMark && shape.startMark !== null) item.startMark.setAttribute("x", shape.startMark);
      if (item.endMark && shape.endMark !== null) item.endMark.setAttribute("x", shape.endMark);
      item.a = shape.lo;
      item.b = shape.hi;
      item.lead = shape.lead;
      item.tail = shape.tail;
      // a label inside only where the body is solid from stated side to stated side
      item.inside = shape.body && !shape.stub ? shape.body : null;
    }

    /* Gradients for a stub: solid at the stated side, faint at the one not stated;
       and a hatching for the days of a disputed side. */
    fades(chart, lanes) {
      for (const lane of lanes) {
        const hatch = svg("pattern", { id: "hatch-" + lane.key, width: 5, height: 5, patternUnits: "userSpaceOnUse", patternTransform: "rotate(45)" }, chart.defs);
        svg("rect", { width: 2, height: 5, fill: lane.colour }, hatch);
        for (const side of ["start", "end"]) {
          const g = svg("linearGradient", { id: "fade-" + side + "-" + lane.key, x1: side === "start" ? 1 : 0, x2: side === "start" ? 0 : 1, y1: 0, y2: 0 }, chart.defs);
          svg("stop", { offset: 0, "stop-color": lane.colour, "stop-opacity": 1 }, g);
          svg("stop", { offset: 1, "stop-color": lane.colour, "stop-opacity": 0.12 }, g);
        }
      }
    }

    /* Dutch personnel per mission, on a log scale: 2 and 13 advisers are as far apart
       as 20 and 130 soldiers, so small contributions are as readable as large ones. */
    layoutPersonnel(facts, lanes) {
      const chart = this.personnel;
      const dutch = facts.filter((f) => f.kind === "personnel" && f.country === "NL" && f.scope === "contribution" && f.mid !== null);
      const byLane = lanesOf(dutch);
      const strips = lanes.map((lane) => ({ lane: lane, facts: byLane.get(lane.code) || [] })).filter((s) => s.facts.length);
      const height = strips.length * STRIP + AXIS + 10;
      chart.reset(Math.max(height, 70));
      chart.plotTop = 4;
      chart.plotBottom = strips.length * STRIP + 4;
      const legend = document.getElementById("legend-components");
      clear(legend);
      if (!strips.length) text(chart.front, this.axis.left + 8, 34, "No Dutch personnel figures match the filters.", "empty");
      const left = this.axis.left;
      strips.forEach((strip, n) => {
        const top = 4 + n * STRIP;
        const figures = strip.facts.map((f) => [f.value, f.maximum, f.minimum]).flat().filter((v) => v !== undefined && v !== null);
        const zero = figures.some((v) => v < 1);
        const one = top + STRIP - 10 - (zero ? ZERO_GAP + 4 : 0); // where 1 is
        const high = top + (this.axis.narrow ? 26 : 12);
        const most = logCeil(Math.max.apply(null, figures.concat([1])));
        const y = (v) => (v >= 1 ? one - (Math.log10(v) / Math.log10(most)) * (one - high) : one + ZERO_GAP);
        svg("rect", { x: 0, y: top, width: "100%", height: STRIP, class: n % 2 ? "lane odd" : "lane" }, chart.back);
        this.laneLabel(chart, strip.lane, top, STRIP, "people");
        let last = Infinity;
        for (const v of logTicks(most)) {
          const major = Math.log10(v) % 1 === 0;
          svg("line", { x1: left - 4, x2: "100%", y1: y(v), y2: y(v), class: major ? "hline" : "hline minor" }, chart.back);
          if (last - y(v) >= 12 || v === most) {
            text(chart.front, left - 7, y(v) + 4, String(v), "ytick");
            last = y(v);
          }
        }
        if (zero) {
          svg("line", { x1: left - 4, x2: "100%", y1: y(0), y2: y(0), class: "hline zero" }, chart.back);
          text(chart.front, left - 7, y(0) + 4, "0", "ytick");
        }
        const components = Array.from(new Set(strip.facts.map((f) => f.component || ""))).sort();
        const colour = new Map(components.map((c, i) => [c, c ? COMPONENT_COLOURS[i % COMPONENT_COLOURS.length] : WHOLE]));
        this.app.componentLegend(legend, strip.lane, components, colour);
        const group = svg("g", { "data-mission": strip.lane.code }, chart.plot);
        const entries = strip.facts.map((f) => {
          const level = f.qualifier === "range" ? Math.sqrt(Math.max(f.minimum || 1, 1) * Math.max(f.maximum || 1, 1)) : f.value ?? f.maximum ?? f.minimum ?? 0;
          return { fact: f, colour: colour.get(f.component || ""), y: y(level) };
        });
        this.markLayer(chart, group, entries, (entry) => {
          const span = svg("line", { y1: entry.y, y2: entry.y, stroke: entry.colour, class: "span" }, null);
          const mark = svg("g", { class: "figure q-" + entry.fact.qualifier }, null);
          this.shape(mark, entry.fact, entry.colour, y);
          return [span, mark];
        });
      });
    }

    /* Figures or amounts at a level ``y`` each, with a line for the time they apply
       to: ``make(entry)`` makes the line and the mark; more than the strip's pixels can
       show, a density of cells in the entries' colours. */
    markLayer(chart, group, entries, make) {
      const layer = new Layer(this, group, entries, Math.round(this.axis.plot * PER_PIXEL), {
        make: (entry) => {
          const [span, mark] = make(entry);
          this.remember(entry.fact.index, mark);
          return { type: "mark", node: mark, line: span, t0: entry.fact.t0, t1: entry.fact.t1, nodes: [span, mark] };
        },
        span: (entry) => covers(entry.fact.t0, entry.fact.t1),
        distance: (entry, x, y, axis) => Math.hypot(middle(axis, entry.fact.t0, entry.fact.t1) - x, entry.y - y),
        dense: (visible, axis) => {
          const left = axis.left;
          const right = axis.left + axis.plot;
          const clamp = (v) => Math.max(left - 40, Math.min(right + 40, v));
          const points = visible.map((entry) => {
            const f = entry.fact;
            const a = f.t0 === null ? null : axis.x(f.t0);
            const b = f.t1 === null ? null : axis.x(f.t1 + DAY);
            return { x: middle(axis, f.t0, f.t1), y: entry.y, colour: entry.colour, a: a, b: b };
          });
          return cells(points, left, right, clamp);
        },
      });
      chart.items.push({ type: "layer", layer: layer });
    }

    /* The mark of one figure, drawn around (0, 0) at the figure's level:
       exact a solid dot, approx a hollow dot, a ceiling a bar with a caret down, at
       least a bar with a caret up, a range a vertical line from minimum to maximum. */
    shape(g, f, colour, y) {
      const q = f.qualifier;
      if (q === "range" && f.minimum !== undefined && f.maximum !== undefined) {
        const a = y(f.maximum);
        const b = y(f.minimum);
        g.setAttribute("data-y", a);
        svg("line", { x1: 0, x2: 0, y1: 0, y2: b - a, stroke: colour, class: "stem" }, g);
        svg("line", { x1: -5, x2: 5, y1: 0, y2: 0, stroke: colour, class: "stem" }, g);
        svg("line", { x1: -5, x2: 5, y1: b - a, y2: b - a, stroke: colour, class: "stem" }, g);
        svg("rect", { x: -7, y: -3, width: 14, height: b - a + 6, class: "hit" }, g);
        return;
      }
      const v = q === "max" ? f.maximum ?? f.value : q === "min" ? f.minimum ?? f.value : f.value ?? f.maximum ?? f.minimum;
      g.setAttribute("data-y", y(v || 0));
      if (q === "max") {
        svg("line", { x1: -7, x2: 7, y1: 0, y2: 0, stroke: colour, class: "stem" }, g);
        svg("path", { d: "M-5,3 L5,3 L0,10 Z", fill: colour }, g);
      } else if (q === "min") {
        svg("line", { x1: -7, x2: 7, y1: 0, y2: 0, stroke: colour, class: "stem" }, g);
        svg("path", { d: "M-5,-3 L5,-3 L0,-10 Z", fill: colour }, g);
      } else if (q === "approx") {
        svg("circle", { r: 4.5, fill: "#ffffff", stroke: colour, class: "hollow" }, g);
      } else {
        svg("circle", { r: 4.5, fill: colour, stroke: colour }, g);
      }
      svg("rect", { x: -8, y: -10, width: 16, height: 20, class: "hit" }, g);
    }

    /* Amounts per year on a log scale, Dutch spending apart from the estimates of
       others (by purpose: the page's purposes table), which are shown only when asked:
       a World Bank estimate of reconstruction costs is no Dutch spending. */
    layoutSpending(facts) {
      const chart = this.spending;
      const amounts = facts.filter((f) => f.kind === "budget" && f.mid !== null && f.amount > 0);
      const dutch = amounts.filter((f) => this.app.series(f) === "dutch");
      const others = amounts.filter((f) => this.app.series(f) !== "dutch");
      this.app.spendingNote(others);
      const lanes = [{ key: "dutch", name: "Dutch spending", facts: dutch, height: SPENDING }];
      if (this.app.state.estimates && others.length) lanes.push({ key: "others", name: "estimates by others", facts: others, height: OTHERS });
      const total = lanes.reduce((sum, lane) => sum + lane.height, 0);
      chart.reset(total + AXIS + 10);
      chart.plotTop = 4;
      chart.plotBottom = total + 4;
      const left = this.axis.left;
      let top = 4;
      lanes.forEach((lane, n) => {
        svg("rect", { x: 0, y: top, width: "100%", height: lane.height, class: n % 2 ? "lane odd" : "lane", "data-series": lane.key }, chart.back);
        const label = svg("g", { class: "lane-label", "data-series": lane.key }, chart.front);
        if (this.axis.narrow) {
          text(label, 6, top + 14, lane.key === "dutch" ? "Dutch" : "others", "lane-code small");
        } else {
          text(label, 10, top + 30, lane.key === "dutch" ? "Dutch" : "others", "lane-code");
          text(label, 10, top + 44, lane.key === "dutch" ? "spending" : "estimates", "lane-name");
          text(label, 10, top + 58, "log scale", "lane-name");
        }
        if (!lane.facts.length) {
          text(chart.front, left + 8, top + 30, lane.key === "dutch" ? "No Dutch spending matches the filters." : "No estimates match the filters.", "empty");
          top += lane.height;
          return;
        }
        const lo = Math.floor(Math.log10(Math.min.apply(null, lane.facts.map((f) => f.amount))));
        const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max.apply(null, lane.facts.map((f) => f.amount)))));
        const high = top + (this.axis.narrow ? 26 : 12);
        const low = top + lane.height - 8;
        const y = (v) => low - ((Math.log10(v) - lo) / (hi - lo)) * (low - high);
        const step = (low - high) / (hi - lo) < 14 ? 2 : 1;
        for (let p = lo; p <= hi; p++) {
          const v = Math.pow(10, p);
          svg("line", { x1: left - 4, x2: "100%", y1: y(v), y2: y(v), class: "hline" }, chart.back);
          if ((p - lo) % step === 0) text(chart.front, left - 7, y(v) + 4, compactAmount(v), "ytick");
        }
        const group = svg("g", { "data-series": lane.key }, chart.plot);
        const entries = lane.facts.map((f) => ({ fact: f, colour: this.app.laneOf(f).colour, y: y(f.amount) }));
        this.markLayer(chart, group, entries, (entry) => {
          const f = entry.fact;
          const colour = entry.colour;
          const span = svg("line", { y1: entry.y, y2: entry.y, stroke: colour, class: "span money" }, null);
          const mark = svg("g", { class: "amount", "data-y": entry.y, "data-mission": f.lane }, null);
          const hollow = f.placed !== "stated";
          const paint = { fill: hollow ? "#ffffff" : colour, stroke: colour, class: hollow ? "hollow" : "" };
          if (f.currency === "EUR") svg("circle", Object.assign({ r: 5 }, paint), mark);
          else svg("rect", Object.assign({ x: -4.5, y: -4.5, width: 9, height: 9 }, paint), mark);
          svg("rect", { x: -8, y: -8, width: 16, height: 16, class: "hit" }, mark);
          return [span, mark];
        });
        top += lane.height;
      });
    }

    /* Show the selected fact's marks; in a density, draw it on its own. */
    select(index) {
      const changed = index !== this.selectedFact;
      for (const node of this.byFact.get(this.selectedFact) || []) node.classList.remove("selected");
      this.selectedFact = index;
      for (const node of this.byFact.get(index) || []) node.classList.add("selected");
      if (changed && this.layers.some((layer) => !layer.few)) this.schedule();
    }

    /* Show the selected phase's bar (or that of the selected mention). */
    selectPhase(index) {
      for (const node of this.phase_selected || []) node.classList.remove("selected");
      this.phase_selected = index === null ? [] : this.byPhase.get(index) || [];
      for (const node of this.phase_selected) node.classList.add("selected");
    }

    setCursors(cursors) {
      this.cursorTimes = cursors;
      if (document.getElementById("view-time").hidden) return;
      for (const chart of this.all) if (chart.cursors && !document.getElementById(chart.element.id + "-box").hidden) this.drawCursors(chart);
    }

    /* The lines of the cursors (today, the selected fact's document date). */
    drawCursors(chart) {
      clear(chart.cursors);
      for (const cursor of this.cursorTimes) {
        const x = this.axis.x(cursor.t);
        svg("line", { x1: x, x2: x, y1: chart.plotTop, y2: chart.plotBottom, class: "cursor " + cursor.kind }, chart.cursors);
        if (chart === this.timeline) text(chart.cursors, x + 4, chart.plotTop + 12, cursor.label, "cursor-label " + cursor.kind);
      }
    }

    /* Put every mark where the visible span says; called on every zoom and pan. */
    draw() {
      const axis = this.axis;
      if (document.getElementById("view-time").hidden) return;
      axis.width = this.plotWidth() || axis.width;
      const LEFT = axis.left;
      const left = LEFT - 40;
      const right = axis.width - RIGHT + 40;
      const clamp = (v) => Math.max(left, Math.min(right, v)); // bars: just beyond the plot
      const far = (v) => Math.max(-1e5, Math.min(1e5, v)); // marks: where they are, clipped
      const marks = fineTicks(axis.t0, axis.t1, axis.plot);
      for (const chart of this.all) {
        if (document.getElementById(chart.element.id + "-box").hidden) continue;
        chart.element.setAttribute("width", axis.width);
        chart.clipRect.setAttribute("x", LEFT);
        chart.clipRect.setAttribute("width", axis.plot);
        chart.clipRect.setAttribute("height", chart.height);
        clear(chart.grid);
        const labelY = chart.axisAt === "top" ? AXIS - 9 : chart.plotBottom + 17;
        for (const tick of marks) {
          const x = axis.x(tick.t);
          svg("line", { x1: x, x2: x, y1: chart.axisAt === "top" ? AXIS - 4 : chart.plotTop, y2: chart.axisAt === "top" ? chart.plotBottom : chart.plotBottom + 4, class: tick.major ? "tick major" : "tick" }, chart.grid);
          text(chart.grid, x + 3, labelY, tick.label, "xtick");
        }
        const bars = [];
        const place = (item) => {
          if (this.place(item, clamp, far)) bars.push(item);
        };
        for (const item of chart.items) {
          if (item.type === "layer") item.layer.draw(axis, place);
          else place(item);
        }
        this.placeLabels(bars, LEFT, axis.width - RIGHT);
        this.drawCursors(chart);
      }
    }

    /* Put one item where the visible span says; whether it is a bar (with a label). */
    place(item, clamp, far) {
      const axis = this.axis;
      if (item.type === "bar") {
        // a stated side is where its date is; an unstated one a stub's length away
        let a;
        let b;
        if (item.open === "start") {
          b = clamp(axis.x(item.t1 + DAY));
          a = b - STUB;
        } else if (item.open === "end") {
          a = clamp(axis.x(item.t0));
          b = a + STUB;
        } else {
          a = clamp(axis.x(item.t0));
          b = Math.max(a + 3, clamp(axis.x(item.t1 + DAY)));
        }
        item.a = a;
        item.b = b;
        item.lead = item.open === "start" ? OPEN_MARK : 0;
        item.tail = item.open === "end" ? OPEN_MARK : 0;
        item.inside = item.open ? null : [a, b];
        item.node.setAttribute("x", a);
        item.node.setAttribute("width", b - a);
        if (item.open) {
          const known = item.open === "start" ? b : a;
          item.edge.setAttribute("x1", known);
          item.edge.setAttribute("x2", known);
          item.mark.setAttribute("x", item.open === "start" ? a - OPEN_MARK + 3 : b + 3);
        }
        return true;
      } else if (item.type === "phase") {
        this.placePhase(item, clamp);
        return true;
      } else if (item.type === "point") {
        let cx;
        if (item.t0 !== null && item.t1 !== null) {
          const a = axis.x(item.t0);
          const b = axis.x(item.t1 + DAY);
          cx = far((a + b) / 2);
          if (item.line) {
            item.line.setAttribute("x1", clamp(a));
            item.line.setAttribute("x2", clamp(b));
          }
        } else {
          cx = far(axis.x(item.t0 !== null ? item.t0 : item.t1));
          item.line.setAttribute("x1", cx);
          item.line.setAttribute("x2", item.t0 !== null ? cx + 16 : cx - 16);
        }
        item.node.setAttribute("cx", cx);
      } else {
        const a = item.t0 === null ? null : axis.x(item.t0);
        const b = item.t1 === null ? null : axis.x(item.t1 + DAY);
        const x = far(a !== null && b !== null ? (a + b) / 2 : a !== null ? a : b);
        item.line.setAttribute("x1", a !== null ? clamp(a) : x);
        item.line.setAttribute("x2", b !== null ? clamp(b) : x);
        item.node.setAttribute("transform", "translate(" + x + "," + item.node.getAttribute("data-y") + ")");
      }
      return false;
    }

    /* Each bar's label: inside it where it fits, else after it (after the "?" of an
       open end) up to the next bar of its row, else before it back to what is drawn
       there, else cut to the largest of these rooms; none where fewer than four
       characters fit. */
    placeLabels(bars, low, high) {
      const rows = new Map();
      for (const item of bars) {
        if (!rows.has(item.row)) rows.set(item.row, []);
        rows.get(item.row).push(item);
      }
      for (const row of rows.values()) {
        row.sort((p, q) => p.a - q.a);
        let used = low; // the right end of what is drawn so far on this row
        row.forEach((item, i) => {
          const next = i + 1 < row.length ? row[i + 1].a - row[i + 1].lead : Infinity;
          const start = item.a - item.lead;
          const from = item.b + (item.tail ? item.tail + 3 : 4);
          const inside = item.inside;
          const rooms = [
            { room: inside ? Math.min(inside[1], high) - Math.max(inside[0], low) - 8 : -1, x: inside ? Math.max(inside[0], low) + 4 : 0, cls: "bar-label" },
            { room: from >= low ? Math.min(next, high) - from - 4 : -1, x: from, cls: "bar-label out" },
            { room: start <= high ? Math.min(start, high) - 4 - used - 6 : -1, x: Math.min(start, high) - 4, cls: "bar-label out before" },
          ];
          const need = item.name.length * CHAR;
          const chosen = rooms.find((r) => r.room >= need) || rooms.reduce((p, q) => (q.room > p.room ? q : p));
          const fits = Math.floor(chosen.room / CHAR);
          const words = fits >= 4 ? (item.name.length > fits ? item.name.slice(0, fits - 1) + "…" : item.name) : "";
          if (words && !item.label) {
            item.label = text(item.labels, chosen.x, item.y, words, chosen.cls);
            if (item.type === "phase") this.rememberPhase(item.phase, item.label);
            else this.remember(item.fact, item.label);
          } else if (item.label) {
            if (item.label.textContent !== words) item.label.textContent = words;
            item.label.setAttribute("x", chosen.x);
            if (item.label.getAttribute("class") !== chosen.cls) item.label.setAttribute("class", chosen.cls);
          }
          const end = item.b + item.tail;
          used = Math.max(used, chosen.cls === "bar-label out" && words ? from + words.length * CHAR : end);
        });
      }
    }
  }

  KG.Charts = Charts;
  KG.svg = svg;
  KG.clear = clear;
  KG.DAY = DAY;
})((window.KG = window.KG || {}));
