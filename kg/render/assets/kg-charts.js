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
  const LEFT = 128; // the lane labels
  const RIGHT = 20;
  const AXIS = 26; // the date labels above the timeline and below the charts
  const ROW = 15; // one row of period bars
  const MAX_ROWS = 24; // more overlapping periods share the rows that end first
  const EVENT_ROWS = 3;
  const EVENT_ROW = 11;
  const STRIP = 104; // one mission's personnel figures
  const SPENDING = 230;
  const COMPONENT_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
    "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f",
  ];
  const WHOLE = "#222222"; // a figure for a whole contribution, no component named

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
    get plot() {
      return Math.max(50, this.width - LEFT - RIGHT);
    }
    x(t) {
      return LEFT + ((t - this.t0) / (this.t1 - this.t0)) * this.plot;
    }
    time(x) {
      return this.t0 + ((x - LEFT) / this.plot) * (this.t1 - this.t0);
    }
    zoom(factor, atX) {
      const at = this.time(atX === undefined ? LEFT + this.plot / 2 : atX);
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

  function niceCeil(v) {
    if (v <= 0) return 1;
    const p = Math.pow(10, Math.floor(Math.log10(v)));
    for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
      if (m * p >= v) return m * p;
    }
    return 10 * p;
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
      this.clipRect = svg("rect", { x: LEFT, y: 0, width: 10, height: height }, clip);
      this.defs = defs;
      this.back = svg("g", { class: "back" }, this.element); // lane backgrounds, labels
      this.grid = svg("g", { class: "grid" }, this.element);
      this.plot = svg("g", { "clip-path": "url(#" + id + ")" }, this.element);
      this.cursors = svg("g", { class: "cursors", "clip-path": "url(#" + id + ")" }, this.element);
      this.front = svg("g", { class: "front" }, this.element);
      this.element.setAttribute("height", height);
    }
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
        const mark = e.target.closest("[data-fact]");
        if (mark) this.app.select(Number(mark.getAttribute("data-fact")));
      });
    }

    hover(e) {
      const mark = e.target.closest ? e.target.closest("[data-fact]") : null;
      if (!mark) {
        this.hideTip();
        return;
      }
      const fact = this.app.facts[Number(mark.getAttribute("data-fact"))];
      this.tip.textContent = this.app.summary(fact);
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
    }

    /* Lay out the facts that pass the filters: lanes, rows, strips; then draw. */
    setFacts(facts, lanes, types) {
      this.byFact = new Map();
      this.axis.width = this.timeline.element.parentNode.clientWidth || 900;
      const show = (kind) => types.has(kind);
      document.getElementById("timeline-box").hidden = !(show("event") || show("period"));
      document.getElementById("personnel-box").hidden = !show("personnel");
      document.getElementById("spending-box").hidden = !show("budget");
      this.layoutTimeline(facts, lanes, show("period"), show("event"));
      this.layoutPersonnel(facts, lanes);
      this.layoutSpending(facts);
      this.select(this.app.selected);
      this.draw();
    }

    layoutTimeline(facts, lanes, periods, events) {
      const chart = this.timeline;
      const plan = [];
      let y = AXIS + 4;
      for (const lane of lanes) {
        const own = facts.filter((f) => f.lane === lane.code);
        const bars = periods ? own.filter((f) => f.kind === "period" && (f.t0 !== null || f.t1 !== null)) : [];
        const points = events ? own.filter((f) => f.kind === "event" && (f.t0 !== null || f.t1 !== null)) : [];
        bars.sort((a, b) => (a.t0 ?? -Infinity) - (b.t0 ?? -Infinity) || (a.t1 ?? Infinity) - (b.t1 ?? Infinity));
        const ends = [];
        const rows = bars.map((f) => {
          const from = f.t0 ?? -Infinity;
          let row = ends.findIndex((end) => end < from);
          if (row < 0 && ends.length < MAX_ROWS) row = ends.push(-Infinity) - 1;
          if (row < 0) row = ends.indexOf(Math.min.apply(null, ends));
          ends[row] = Math.max(ends[row], f.t1 ?? Infinity);
          return row;
        });
        points.sort((a, b) => (a.mid ?? 0) - (b.mid ?? 0));
        const barRows = Math.max(ends.length, bars.length ? 1 : 0);
        const height = Math.max(44, 8 + barRows * ROW + (points.length ? EVENT_ROWS * EVENT_ROW + 8 : 0) + 6);
        plan.push({ lane: lane, top: y, height: height, bars: bars, rows: rows, points: points, barRows: barRows });
        y += height;
      }
      chart.reset(Math.max(y + 8, AXIS + 60));
      chart.plotTop = AXIS;
      chart.plotBottom = y;
      this.fades(chart, lanes);
      if (!plan.length) text(chart.front, LEFT + 8, AXIS + 30, "Nothing on the timeline matches the filters.", "empty");
      plan.forEach((p, n) => {
        const lane = p.lane;
        svg("rect", { x: 0, y: p.top, width: "100%", height: p.height, class: n % 2 ? "lane odd" : "lane" }, chart.back);
        const group = svg("g", { "data-mission": lane.code, class: "lane-marks" }, chart.plot);
        const label = svg("g", { "data-mission": lane.code, class: "lane-label" }, chart.front);
        svg("rect", { x: 6, y: p.top + 10, width: 5, height: Math.max(10, p.height - 20), fill: lane.colour }, label);
        text(label, 18, p.top + 24, lane.code, "lane-code");
        text(label, 18, p.top + 38, lane.short, "lane-name");
        p.bars.forEach((f, i) => {
          const top = p.top + 6 + p.rows[i] * ROW;
          const fill = f.t0 === null ? "url(#fade-start-" + lane.key + ")" : f.t1 === null ? "url(#fade-end-" + lane.key + ")" : lane.colour;
          const bar = svg("rect", { y: top, height: ROW - 4, rx: 2, fill: fill, class: "bar" + (f.t0 === null || f.t1 === null ? " open" : "") }, group);
          this.remember(f.index, bar);
          const words = svg("text", { y: top + ROW - 7, class: f.t0 === null ? "bar-label end" : "bar-label" }, group);
          this.remember(f.index, words);
          chart.items.push({ type: "bar", node: bar, label: words, name: this.app.barName(f), t0: f.t0, t1: f.t1 });
        });
        const eventsTop = p.top + 8 + p.barRows * ROW + 2;
        p.points.forEach((f, i) => {
          const cy = eventsTop + 5 + (i % EVENT_ROWS) * EVENT_ROW;
          const line = svg("line", { y1: cy, y2: cy, stroke: lane.colour, class: "range" }, group);
          const dot = svg("circle", { cy: cy, r: 4, fill: lane.colour, class: "event" }, group);
          this.remember(f.index, dot);
          chart.items.push({ type: "point", node: dot, line: line, t0: f.t0, t1: f.t1 });
        });
      });
    }

    /* Gradients for open-ended bars: solid where the date is known, fading to the edge. */
    fades(chart, lanes) {
      for (const lane of lanes) {
        for (const side of ["start", "end"]) {
          const g = svg("linearGradient", { id: "fade-" + side + "-" + lane.key, x1: side === "start" ? 1 : 0, x2: side === "start" ? 0 : 1, y1: 0, y2: 0 }, chart.defs);
          svg("stop", { offset: 0, "stop-color": lane.colour, "stop-opacity": 1 }, g);
          svg("stop", { offset: 0.6, "stop-color": lane.colour, "stop-opacity": 0.55 }, g);
          svg("stop", { offset: 1, "stop-color": lane.colour, "stop-opacity": 0.08 }, g);
        }
      }
    }

    layoutPersonnel(facts, lanes) {
      const chart = this.personnel;
      const dutch = facts.filter((f) => f.kind === "personnel" && f.country === "NL" && f.scope === "contribution" && f.mid !== null);
      const strips = lanes.map((lane) => ({ lane: lane, facts: dutch.filter((f) => f.lane === lane.code) })).filter((s) => s.facts.length);
      const height = strips.length * STRIP + AXIS + 10;
      chart.reset(Math.max(height, 70));
      chart.plotTop = 4;
      chart.plotBottom = strips.length * STRIP + 4;
      const legend = document.getElementById("legend-components");
      clear(legend);
      if (!strips.length) text(chart.front, LEFT + 8, 34, "No Dutch personnel figures match the filters.", "empty");
      strips.forEach((strip, n) => {
        const top = 4 + n * STRIP;
        const bottom = top + STRIP - 12;
        const high = top + 12;
        const most = niceCeil(Math.max.apply(null, strip.facts.map((f) => Math.max(f.value || 0, f.maximum || 0, f.minimum || 0))));
        const y = (v) => bottom - (v / most) * (bottom - high);
        svg("rect", { x: 0, y: top, width: "100%", height: STRIP, class: n % 2 ? "lane odd" : "lane" }, chart.back);
        const label = svg("g", { "data-mission": strip.lane.code, class: "lane-label" }, chart.front);
        svg("rect", { x: 6, y: top + 10, width: 5, height: STRIP - 20, fill: strip.lane.colour }, label);
        text(label, 18, top + 24, strip.lane.code, "lane-code");
        text(label, 18, top + 38, "people", "lane-name");
        for (const v of [0, most / 2, most]) {
          svg("line", { x1: LEFT - 4, x2: "100%", y1: y(v), y2: y(v), class: "hline" }, chart.back);
          text(chart.front, LEFT - 7, y(v) + 4, String(Math.round(v * 10) / 10), "ytick");
        }
        const components = Array.from(new Set(strip.facts.map((f) => f.component || ""))).sort();
        const colour = new Map(components.map((c, i) => [c, c ? COMPONENT_COLOURS[i % COMPONENT_COLOURS.length] : WHOLE]));
        this.app.componentLegend(legend, strip.lane, components, colour);
        const group = svg("g", { "data-mission": strip.lane.code }, chart.plot);
        for (const f of strip.facts) {
          const c = colour.get(f.component || "");
          const level = f.qualifier === "range" ? ((f.minimum || 0) + (f.maximum || 0)) / 2 : f.value ?? f.maximum ?? f.minimum ?? 0;
          const span = svg("line", { y1: y(level), y2: y(level), stroke: c, class: "span" }, group);
          const mark = svg("g", { class: "figure q-" + f.qualifier }, group);
          this.shape(mark, f, c, y);
          this.remember(f.index, mark);
          chart.items.push({ type: "mark", node: mark, line: span, t0: f.t0, t1: f.t1, y: 0 });
        }
      });
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

    layoutSpending(facts) {
      const chart = this.spending;
      const amounts = facts.filter((f) => f.kind === "budget" && f.mid !== null && f.amount > 0);
      chart.reset(SPENDING + AXIS + 10);
      chart.plotTop = 4;
      chart.plotBottom = SPENDING + 4;
      svg("rect", { x: 0, y: 4, width: "100%", height: SPENDING, class: "lane" }, chart.back);
      if (!amounts.length) {
        text(chart.front, LEFT + 8, 40, "No amounts match the filters.", "empty");
        return;
      }
      const lo = Math.floor(Math.log10(Math.min.apply(null, amounts.map((f) => f.amount))));
      const hi = Math.max(lo + 1, Math.ceil(Math.log10(Math.max.apply(null, amounts.map((f) => f.amount)))));
      const top = 16;
      const bottom = SPENDING - 6;
      const y = (v) => bottom - ((Math.log10(v) - lo) / (hi - lo)) * (bottom - top);
      for (let p = lo; p <= hi; p++) {
        const v = Math.pow(10, p);
        svg("line", { x1: LEFT - 4, x2: "100%", y1: y(v), y2: y(v), class: "hline" }, chart.back);
        text(chart.front, LEFT - 7, y(v) + 4, compactAmount(v), "ytick");
      }
      const label = svg("g", { class: "lane-label" }, chart.front);
      text(label, 10, 30, "amount", "lane-code");
      text(label, 10, 44, "log scale", "lane-name");
      const group = svg("g", {}, chart.plot);
      for (const f of amounts) {
        const colour = this.app.laneOf(f).colour;
        const span = svg("line", { y1: y(f.amount), y2: y(f.amount), stroke: colour, class: "span money" }, group);
        const mark = svg("g", { class: "amount", "data-y": y(f.amount), "data-mission": f.lane }, group);
        const hollow = f.placed !== "stated";
        const paint = { fill: hollow ? "#ffffff" : colour, stroke: colour, class: hollow ? "hollow" : "" };
        if (f.currency === "EUR") svg("circle", Object.assign({ r: 5 }, paint), mark);
        else svg("rect", Object.assign({ x: -4.5, y: -4.5, width: 9, height: 9 }, paint), mark);
        svg("rect", { x: -8, y: -8, width: 16, height: 16, class: "hit" }, mark);
        this.remember(f.index, mark);
        chart.items.push({ type: "mark", node: mark, line: span, t0: f.t0, t1: f.t1 });
      }
    }

    /* Show the selected fact's marks. */
    select(index) {
      for (const node of this.element_selected || []) node.classList.remove("selected");
      this.element_selected = index === null ? [] : this.byFact.get(index) || [];
      for (const node of this.element_selected) node.classList.add("selected");
    }

    setCursors(cursors) {
      this.cursorTimes = cursors;
      this.schedule();
    }

    /* Put every mark where the visible span says; called on every zoom and pan. */
    draw() {
      const axis = this.axis;
      axis.width = this.timeline.element.parentNode.clientWidth || axis.width;
      const left = LEFT - 40;
      const right = axis.width - RIGHT + 40;
      const clamp = (v) => Math.max(left, Math.min(right, v)); // bars: just beyond the plot
      const far = (v) => Math.max(-1e5, Math.min(1e5, v)); // marks: where they are, clipped
      const marks = fineTicks(axis.t0, axis.t1, axis.plot);
      for (const chart of this.all) {
        if (chart.element.closest("[hidden]")) continue;
        chart.element.setAttribute("width", axis.width);
        chart.clipRect.setAttribute("width", axis.plot);
        chart.clipRect.setAttribute("height", chart.height);
        clear(chart.grid);
        const labelY = chart.axisAt === "top" ? AXIS - 9 : chart.plotBottom + 17;
        for (const tick of marks) {
          const x = axis.x(tick.t);
          svg("line", { x1: x, x2: x, y1: chart.axisAt === "top" ? AXIS - 4 : chart.plotTop, y2: chart.axisAt === "top" ? chart.plotBottom : chart.plotBottom + 4, class: tick.major ? "tick major" : "tick" }, chart.grid);
          text(chart.grid, x + 3, labelY, tick.label, "xtick");
        }
        for (const item of chart.items) {
          if (item.type === "bar") {
            const a = item.t0 === null ? LEFT : clamp(axis.x(item.t0));
            const b = item.t1 === null ? axis.width - RIGHT : clamp(axis.x(item.t1 + DAY));
            const width = Math.max(3, b - a);
            item.node.setAttribute("x", a);
            item.node.setAttribute("width", width);
            const shown = Math.min(b, axis.width - RIGHT) - Math.max(a, LEFT) - 8;
            const fits = Math.floor(shown / 6.4);
            // the label sits at the known end: an open start fades out on the left
            if (item.t0 === null) item.label.setAttribute("x", Math.min(b, axis.width - RIGHT) - 4);
            else item.label.setAttribute("x", Math.max(a, LEFT) + 4);
            item.label.textContent = fits >= 4 ? (item.name.length > fits ? item.name.slice(0, fits - 1) + "…" : item.name) : "";
          } else if (item.type === "point") {
            let cx;
            if (item.t0 !== null && item.t1 !== null) {
              const a = axis.x(item.t0);
              const b = axis.x(item.t1 + DAY);
              cx = far((a + b) / 2);
              item.line.setAttribute("x1", clamp(a));
              item.line.setAttribute("x2", clamp(b));
              item.line.setAttribute("class", "range");
            } else {
              cx = far(axis.x(item.t0 !== null ? item.t0 : item.t1));
              item.line.setAttribute("x1", cx);
              item.line.setAttribute("x2", item.t0 !== null ? cx + 16 : cx - 16);
              item.line.setAttribute("class", "range open");
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
        }
        clear(chart.cursors);
        for (const cursor of this.cursorTimes) {
          const x = axis.x(cursor.t);
          svg("line", { x1: x, x2: x, y1: chart.plotTop, y2: chart.plotBottom, class: "cursor " + cursor.kind }, chart.cursors);
          if (chart === this.timeline) text(chart.cursors, x + 4, chart.plotTop + 12, cursor.label, "cursor-label " + cursor.kind);
        }
      }
    }
  }

  KG.Charts = Charts;
  KG.svg = svg;
  KG.clear = clear;
  KG.DAY = DAY;
})((window.KG = window.KG || {}));
