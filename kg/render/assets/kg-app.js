/* kg viewer: the data, the filters and their URL fragment, the details panel, the list.

   The data is the JSON in <script type="application/json" id="kg-data">, written by
   kg build. Everything from the documents is shown with textContent: a document that
   contains markup shows it as text. */
(function (KG) {
  "use strict";

  const KIND_NAMES = { personnel: "Personnel figure", budget: "Amount", event: "Event", period: "Period" };
  const KIND_PLURAL = { personnel: "personnel figures", budget: "amounts", event: "events", period: "periods" };
  const TYPES = ["personnel", "budget", "event", "period"];
  const LANE_ORDER = ["OIR", "NMI", "EUAM", "MoPA"];
  const COLOURS = { OIR: "#1f5fa8", NMI: "#d26a12", EUAM: "#23844b", MoPA: "#8a3fa0", other: "#6b7280" };
  const SPARE = ["#a33b3b", "#3b8ea3", "#7a7a1f", "#5e4fa2"];
  const BASIS_TEXT = {
    sentence: "named in the sentence",
    component: "the component named in the sentence",
    paragraph: "the paragraph (or the lead-in of its list)",
    heading: "the heading above",
    question: "the committee question it answers",
    document: "the document's one subject",
    ambiguous: "unknown: missions compete and nothing decides",
    excluded: "unknown: the mission found cannot be it (another theatre, or not existing then)",
    none: "unknown: the text names none",
  };
  const MODALITY_TEXT = {
    stated: "stated as so",
    planned: "planned (not yet so)",
    expected: "expected",
    possible: "possible or considered, not stated as so",
    conditional: "conditional",
    negated: "negated: the text says it is not so",
  };
  const PAGE_ROWS = 100; // the Facts tab shows its rows a page at a time
  const FRAGMENT = ["view", "mission", "type", "from", "to", "doc", "q", "sel", "phase", "node", "today", "mentions", "estimates", "kinds", "page"];
  const SHOWN_SENTENCES = 25; // a phase's details show its first sentences, the rest on request

  function element(name, cls, content) {
    const node = document.createElement(name);
    if (cls) node.className = cls;
    if (content !== undefined && content !== null) node.textContent = String(content);
    return node;
  }

  // A document's number within its dossier as cited: "nr. 919" as stored, a letter of
  // the Eerste Kamer ("U") after "nr." too; "" for none.
  function numberLabel(number) {
    if (!number) return "";
    return /^nr\./.test(number) ? number : "nr. " + number;
  }

  function day(iso) {
    if (!iso) return null;
    const p = iso.split("-");
    return Date.UTC(Number(p[0]), Number(p[1] || 1) - 1, Number(p[2] || 1));
  }

  /* "2018" -> 1 Jan 2018 (from) or 31 Dec 2018 (to); "2018-06" and "2018-06-14" likewise.
     (Read once per text: the filters ask it for every fact.) */
  const bounds = new Map();
  function bound(text, end) {
    const key = (end ? "to:" : "from:") + (text || "");
    if (!bounds.has(key)) {
      if (bounds.size > 100) bounds.clear();
      bounds.set(key, readBound(text, end));
    }
    return bounds.get(key);
  }

  function readBound(text, end) {
    const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec((text || "").trim());
    if (!m) return null;
    const y = Number(m[1]);
    if (!end) return Date.UTC(y, m[2] ? Number(m[2]) - 1 : 0, m[3] ? Number(m[3]) : 1);
    if (m[3]) return Date.UTC(y, Number(m[2]) - 1, Number(m[3]));
    if (m[2]) return Date.UTC(y, Number(m[2]), 0);
    return Date.UTC(y, 11, 31);
  }

  function amountText(amount, currency) {
    let shown;
    if (amount >= 1e9) shown = trim(amount / 1e9) + " billion";
    else if (amount >= 1e6) shown = trim(amount / 1e6) + " million";
    else shown = Math.round(amount).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    return (currency || "") + " " + shown;
  }

  function trim(v) {
    return String(Math.round(v * 100) / 100);
  }

  class App {
    constructor(data) {
      this.data = data;
      this.labels = new Map();
      for (const c of data.concepts) this.labels.set(c.kind + ":" + c.code, c);
      this.documents = new Map(data.documents.map((d) => [d.id, d]));
      this.lanes = this.makeLanes();
      this.laneByCode = new Map(this.lanes.map((l) => [l.code, l]));
      this.facts = data.facts.map((f, index) => this.prepare(f, index));
      this.factIndex = new Map(this.facts.map((f) => [f.id, f.index]));
      // the facts by their middle day (none first), as the charts draw them
      this.timeOrder = this.facts.slice().sort((a, b) => (a.mid ?? 0) - (b.mid ?? 0) || a.index - b.index);
      this.kindCounts = {};
      for (const f of this.facts) this.kindCounts[f.kind] = (this.kindCounts[f.kind] || 0) + 1;
      // the contribution phases, each with its mentions among the facts (by id)
      this.phases = (data.phases || []).map((p, index) => this.preparePhase(p, index));
      this.phaseIndex = new Map(this.phases.map((p) => [p.id, p.index]));
      this.phaseOfFact = new Map();
      for (const p of this.phases) for (const i of p.facts) if (!this.phaseOfFact.has(i)) this.phaseOfFact.set(i, p.index);
      this.shownPhases = [];
      this.state = this.defaults();
      this.selected = null;
      this.selectedNode = null;
      this.selectedPhase = null;
      this.passing = new Set();
      this.charts = new KG.Charts(this);
      this.network = new KG.Network(this, document.getElementById("network"), document.getElementById("network-note"));
      this.networkDirty = true;
    }

    defaults() {
      // kinds: the kinds of node the network shows, null for its default (no events)
      // mentions: the timeline shows each period fact instead of the phases
      return { view: "time", mission: null, type: null, from: "", to: "", doc: "", q: "", sel: "", phase: "", node: "", today: false, mentions: false, estimates: false, kinds: null, page: 1 };
    }

    makeLanes() {
      // the four missions in Iraq always; another mission only where a fact is about it
      const used = new Set(this.data.facts.map((f) => f.mission).filter(Boolean));
      const missions = this.data.concepts
        .filter((c) => c.kind === "mission" && (LANE_ORDER.includes(c.code) || used.has(c.code)))
        .map((c) => c.code);
      missions.sort((a, b) => {
        const ia = LANE_ORDER.indexOf(a);
        const ib = LANE_ORDER.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || (a < b ? -1 : a > b ? 1 : 0);
      });
      const lanes = missions.map((code, i) => {
        const concept = this.labels.get("mission:" + code);
        return { code: code, key: "m" + i, colour: COLOURS[code] || SPARE[i % SPARE.length], name: concept ? concept.label : code, short: short(concept ? concept.label : code, 17) };
      });
      lanes.push({ code: "other", key: "other", colour: COLOURS.other, name: "No mission named", short: "no mission named" });
      return lanes;
    }

    prepare(f, index) {
      f.index = index;
      f.lane = f.mission && this.laneByCodeHas(f.mission) ? f.mission : "other";
      f.t0 = day(f.start);
      f.t1 = day(f.end);
      f.mid = f.t0 !== null && f.t1 !== null ? (f.t0 + f.t1) / 2 : f.t0 !== null ? f.t0 : f.t1;
      f.sentenceText = (this.data.sentences[f.doc] || [])[f.s] || "";
      return f;
    }

    /* A phase as the page draws it: its days as times (t0, t1 the stated start and
       end; p0, p1 the planned ones; zs, ze the days a disputed side's documents give),
       its mentions as fact indexes, and what each of them gives. */
    preparePhase(p, index) {
      p.index = index;
      p.kind = "phase";
      p.mentions = p.mentions || [];
      p.rules = p.rules || [];
      p.lane = this.laneByCodeHas(p.mission) ? p.mission : "other";
      p.t0 = day(p.start);
      p.t1 = day(p.end);
      p.p0 = day(p.plan_from);
      p.p1 = day(p.plan_to);
      p.zs = p.start_zone ? [day(p.start_zone[0]), day(p.start_zone[1])] : null;
      p.ze = p.end_zone ? [day(p.end_zone[0]), day(p.end_zone[1])] : null;
      const starts = new Set(p.start_by || []);
      const ends = new Set(p.end_by || []);
      p.facts = [];
      p.gives = new Map(); // fact index -> [gives the start, gives the end]
      p.missing = 0;
      p.mentions.forEach((id, n) => {
        const i = this.factIndex.get(id);
        if (i === undefined) {
          p.missing += 1;
          return;
        }
        p.facts.push(i);
        p.gives.set(i, [starts.has(n), ends.has(n)]);
      });
      const times = [p.t0, p.t1, p.p0, p.p1].concat(p.zs || [], p.ze || []).filter((t) => t !== null);
      p.lo = times.length ? Math.min.apply(null, times) : null;
      p.hi = times.length ? Math.max.apply(null, times) : null;
      return p;
    }

    /* Whether the timeline shows each period fact (the "mentions" toggle, or a build
       with no phases) rather than the phases. */
    mentionsMode() {
      return this.state.mentions || !this.phases.length;
    }

    /* The phase to show as selected: the one clicked, else the selected mention's. */
    shownPhase() {
      if (this.selectedPhase !== null) return this.selectedPhase;
      return this.selected !== null && this.phaseOfFact.has(this.selected) ? this.phaseOfFact.get(this.selected) : null;
    }

    laneByCodeHas(code) {
      return this.laneByCode.has(code);
    }

    laneOf(f) {
      return this.laneByCode.get(f.lane) || this.laneByCode.get("other");
    }

    label(kind, code) {
      const c = this.labels.get(kind + ":" + code);
      return c ? c.label : code;
    }

    missionShown(code) {
      return !this.state.mission || this.state.mission.has(code);
    }

    /* --- text for a fact --------------------------------------------------------------- */

    figure(f) {
      const q = f.qualifier;
      if (q === "range") return f.minimum + " to " + f.maximum;
      if (q === "max") return "at most " + (f.maximum ?? f.value);
      if (q === "min") return "at least " + (f.minimum ?? f.value);
      if (q === "approx") return "about " + (f.value ?? f.maximum);
      return String(f.value ?? f.maximum ?? f.minimum);
    }

    summary(f) {
      const mission = f.mission ? f.mission + ": " : "";
      if (f.kind === "personnel") {
        return mission + this.figure(f) + " " + this.label("role", f.role) + (f.component ? " (" + this.label("component", f.component) + ")" : "") + (f.country && f.country !== "NL" ? ", " + this.label("country", f.country) : "");
      }
      if (f.kind === "budget") return mission + amountText(f.amount, f.currency) + (f.year ? " for " + f.year : "") + ", " + this.purposeLabel(f);
      // an event's or a period's title (kg/render/data.py, headline) names its mission
      if (f.kind === "event") return f.date + " " + f.title;
      return (f.period_start || "start not stated") + " to " + (f.period_end || "end not stated") + ", " + f.title;
    }

    phaseSummary(p) {
      const n = p.mentions.length;
      return p.title + " · " + n + (n === 1 ? " mention" : " mentions");
    }

    /* Whose money an amount is: "dutch" (spent or given by the Netherlands) or "others"
       (an estimate by others, or a purpose the page's table does not know). */
    series(f) {
      const purpose = (this.data.purposes || {})[f.purpose];
      return purpose ? purpose.series : "others";
    }

    purposeLabel(f) {
      const purpose = (this.data.purposes || {})[f.purpose];
      return purpose ? purpose.label : f.purpose;
    }

    /* The amounts chart's note on the estimates of others it leaves out, or shows. */
    spendingNote(others) {
      const note = document.getElementById("spending-note");
      const toggle = document.getElementById("estimates-toggle");
      toggle.hidden = !others.length;
      if (!others.length) {
        note.textContent = "";
        return;
      }
      const what = others.map((f) => amountText(f.amount, f.currency)).slice(0, 3).join(", ") + (others.length > 3 ? ", …" : "");
      const count = others.length === 1 ? "One amount is an estimate by others" : others.length + " amounts are estimates by others";
      note.textContent = count + " (" + what + "), not Dutch spending: " + (this.state.estimates ? "shown apart, below." : "left out of the chart.");
    }

    searchText(f) {
      if (f.searchText === undefined) {
        const doc = this.documents.get(f.doc);
        f.searchText = [f.sentenceText, f.title, f.label, f.role && this.label("role", f.role), f.component && this.label("component", f.component), f.purpose, f.purpose && this.purposeLabel(f), f.date, f.doc, doc && doc.title, f.mission]
          .filter(Boolean)
          .join(" ")
          .toLowerCase();
      }
      return f.searchText;
    }

    /* --- filters ----------------------------------------------------------------------- */

    passes(f) {
      const s = this.state;
      if (s.mission && !s.mission.has(f.lane)) return false;
      if (s.type && !s.type.has(f.kind)) return false;
      if (s.doc && f.doc !== s.doc) return false;
      const from = bound(s.from, false);
      const to = bound(s.to, true);
      if (from !== null || to !== null) {
        if (f.t0 === null && f.t1 === null) return false;
        if (from !== null && (f.t1 ?? Infinity) < from) return false;
        if (to !== null && (f.t0 ?? -Infinity) > to) return false;
      }
      if (s.q) {
        const text = this.searchText(f);
        for (const word of s.q.toLowerCase().split(/\s+/)) if (word && !text.includes(word)) return false;
      }
      return true;
    }

    /* A phase passes where its lane and periods are shown, it lies in the dates, and,
       with a document or words to search, one of its mentions is of that document and
       it or that mention has the words. */
    passesPhase(p) {
      const s = this.state;
      if (s.mission && !s.mission.has(p.lane)) return false;
      if (s.type && !s.type.has("period")) return false;
      const from = bound(s.from, false);
      const to = bound(s.to, true);
      if (from !== null || to !== null) {
        if (p.lo === null) return false;
        if (from !== null && p.hi < from) return false;
        if (to !== null && p.lo > to) return false;
      }
      if (!s.doc && !s.q) return true;
      const words = s.q.toLowerCase().split(/\s+/).filter(Boolean);
      const own = (p.title + " " + p.mission + " " + (p.component ? this.label("component", p.component) : "")).toLowerCase();
      const named = words.every((word) => own.includes(word));
      for (const i of p.facts) {
        const f = this.facts[i];
        if (s.doc && f.doc !== s.doc) continue;
        if (named) return true;
        const text = this.searchText(f);
        if (words.every((word) => text.includes(word))) return true;
      }
      return false;
    }

    shownLanes() {
      return this.lanes.filter((l) => this.missionShown(l.code));
    }

    shownTypes() {
      return new Set(this.state.type ? Array.from(this.state.type) : TYPES);
    }

    /* The time the charts open on: the filter's dates, else the facts shown. */
    home() {
      const from = bound(this.state.from, false);
      const to = bound(this.state.to, true);
      // every period, figure and amount; events without the few far before or after
      let lo = Infinity;
      let hi = -Infinity;
      const events = []; // in time order already
      for (const f of this.shownByTime) {
        if (f.kind === "event") {
          if (f.mid !== null) events.push(f.mid);
          continue;
        }
        if (f.t0 !== null) {
          lo = Math.min(lo, f.t0);
          hi = Math.max(hi, f.t0);
        }
        if (f.t1 !== null) {
          lo = Math.min(lo, f.t1);
          hi = Math.max(hi, f.t1);
        }
      }
      if (events.length) {
        lo = Math.min(lo, events[Math.floor(events.length * 0.03)]);
        hi = Math.max(hi, events[Math.ceil(events.length * 0.97) - 1]);
      }
      if (this.state.today) hi = Math.max(hi, Date.now());
      if (lo === Infinity) {
        lo = Date.UTC(2014, 0, 1);
        hi = Date.UTC(2025, 0, 1);
      }
      const pad = Math.max((hi - lo) * 0.03, 20 * KG.DAY);
      return [from !== null ? from : lo - pad, to !== null ? to + KG.DAY : hi + pad];
    }

    /* Apply the state: filter, redraw what is visible, write the fragment. */
    apply(options) {
      const rezoom = !options || options.rezoom;
      this.passing = new Set();
      const shown = [];
      for (const f of this.facts) {
        if (this.passes(f)) {
          this.passing.add(f.index);
          shown.push(f);
        }
      }
      this.shown = shown;
      this.shownByTime = this.timeOrder.filter((f) => this.passing.has(f.index));
      this.shownPhases = this.phases.filter((p) => this.passesPhase(p));
      this.syncControls();
      this.showView();
      const [t0, t1] = this.home(); // what Fit shows: the facts that pass the filters
      this.charts.axis.setHome(t0, t1, rezoom);
      if (this.state.view === "time") this.drawTime();
      this.timeStale = this.state.view !== "time";
      this.networkDirty = true;
      if (this.state.view === "network") this.drawNetwork();
      this.listStale = true;
      if (this.state.view === "list") this.drawList();
      this.counts();
      this.cursors();
      this.writeFragment();
    }

    /* The timeline and the figures: the phases as bars, or with the toggle each period
       fact; the legend says which. */
    drawTime() {
      const mentions = this.mentionsMode();
      this.charts.setFacts(this.shown, this.shownByTime, this.shownLanes(), this.shownTypes(), mentions ? null : this.shownPhases);
      for (const key of document.querySelectorAll("#timeline-box [data-mode]")) key.hidden = key.getAttribute("data-mode") !== (mentions ? "mentions" : "phases");
    }

    counts() {
      const all = this.kindCounts;
      const now = {};
      for (const f of this.shown) now[f.kind] = (now[f.kind] || 0) + 1;
      const parts = TYPES.map((k) => (now[k] || 0) + (now[k] === all[k] ? "" : " of " + (all[k] || 0)) + " " + KIND_PLURAL[k]);
      if (this.phases.length) {
        const n = this.shownPhases.length;
        parts.push(n + (n === this.phases.length ? "" : " of " + this.phases.length) + (this.phases.length === 1 ? " phase" : " phases"));
      }
      const docs = this.data.documents.length;
      document.getElementById("summary").textContent = docs + (docs === 1 ? " document · " : " documents · ") + parts.join(" · ");
    }

    cursors() {
      const marks = [];
      if (this.state.today) marks.push({ t: Date.now(), kind: "today", label: "today" });
      const f = this.selected === null ? null : this.facts[this.selected];
      const doc = f ? this.documents.get(f.doc) : this.selectedNode && this.selectedNode.doc ? this.documents.get(this.selectedNode.doc) : null;
      if (doc && doc.date) marks.push({ t: day(doc.date), kind: "docdate", label: "document date " + doc.date });
      this.charts.setCursors(marks);
    }

    /* --- the URL fragment: #mission=OIR&type=personnel&from=2018&... -------------------- */

    readFragment() {
      const params = new URLSearchParams(location.hash.replace(/^#/, ""));
      const s = this.defaults();
      const list = (name, allowed) => {
        if (!params.has(name)) return null;
        const values = params.get(name).split(",").filter((v) => allowed.includes(v));
        return new Set(values);
      };
      s.view = ["time", "network", "list"].includes(params.get("view")) ? params.get("view") : "time";
      s.mission = list("mission", this.lanes.map((l) => l.code));
      s.type = list("type", TYPES);
      s.kinds = list("kinds", Object.keys(KG.NETWORK_KINDS));
      for (const name of ["from", "to", "doc", "q", "sel", "phase", "node"]) s[name] = params.get(name) || "";
      if (s.doc && !this.documents.has(s.doc)) s.doc = "";
      s.today = params.get("today") === "1";
      s.mentions = params.get("mentions") === "1";
      s.estimates = params.get("estimates") === "1";
      s.page = Math.max(1, Math.floor(Number(params.get("page"))) || 1);
      this.state = s;
      this.selected = s.sel && this.factIndex.has(s.sel) ? this.factIndex.get(s.sel) : null;
      this.selectedPhase = this.selected === null && s.phase && this.phaseIndex.has(s.phase) ? this.phaseIndex.get(s.phase) : null;
      this.selectedNode = s.node && this.selected === null && this.selectedPhase === null ? this.network.byId.get(s.node) || null : null;
    }

    fragment() {
      const s = this.state;
      const parts = [];
      const put = (name, value) => parts.push(name + "=" + String(value).split(",").map(encodeURIComponent).join(","));
      for (const name of FRAGMENT) {
        const value = s[name];
        if (name === "view" && value === "time") continue;
        if (name === "page" && value === 1) continue;
        if (value === null || value === "" || value === false) continue;
        if (value instanceof Set) put(name, Array.from(value).join(","));
        else put(name, value === true ? "1" : value);
      }
      return parts.length ? "#" + parts.join("&") : "";
    }

    writeFragment() {
      const hash = this.fragment();
      if (hash === location.hash || (hash === "" && location.hash === "")) return;
      this.writing = true;
      try {
        history.replaceState(null, "", hash || location.pathname + location.search);
      } catch (err) {
        location.hash = hash;
      }
      this.writing = false;
    }

    /* --- controls ---------------------------------------------------------------------- */

    buildControls() {
      const missions = document.getElementById("f-mission");
      for (const lane of this.lanes) {
        const label = element("label", "check");
        const box = element("input");
        box.type = "checkbox";
        box.value = lane.code;
        box.name = "mission";
        const swatch = element("span", "swatch");
        swatch.style.backgroundColor = lane.colour;
        label.appendChild(box);
        label.appendChild(swatch);
        label.appendChild(document.createTextNode(lane.code));
        label.title = lane.name;
        missions.appendChild(label);
      }
      const types = document.getElementById("f-type");
      for (const type of TYPES) {
        const label = element("label", "check");
        const box = element("input");
        box.type = "checkbox";
        box.value = type;
        box.name = "type";
        label.appendChild(box);
        label.appendChild(document.createTextNode(KIND_PLURAL[type]));
        types.appendChild(label);
      }
      const select = document.getElementById("f-doc");
      for (const doc of this.data.documents) {
        const option = element("option", null, [doc.date || "undated", doc.type, numberLabel(doc.number), "(" + doc.id + ")"].filter(Boolean).join(" "));
        option.value = doc.id;
        select.appendChild(option);
      }
      const changed = (rezoom) => () => {
        this.readControls();
        this.state.page = 1;
        this.apply({ rezoom: rezoom });
      };
      missions.addEventListener("change", changed(false));
      types.addEventListener("change", changed(false));
      select.addEventListener("change", changed(false));
      for (const id of ["f-from", "f-to"]) document.getElementById(id).addEventListener("change", changed(true));
      let typing = null;
      document.getElementById("f-q").addEventListener("input", () => {
        clearTimeout(typing);
        typing = setTimeout(changed(false), 200);
      });
      document.getElementById("f-today").addEventListener("change", changed(false));
      document.getElementById("f-mentions").addEventListener("change", changed(false));
      document.getElementById("f-estimates").addEventListener("change", changed(false));
      document.getElementById("legend-network").addEventListener("change", changed(false));
      for (const id of ["pager-top", "pager-bottom"]) {
        document.getElementById(id).addEventListener("click", (e) => {
          const button = e.target.closest("button[data-page]");
          if (!button) return;
          this.state.page = Number(button.getAttribute("data-page"));
          this.drawList();
          this.writeFragment();
          if (id === "pager-bottom") document.getElementById("list-note").scrollIntoView({ block: "nearest" });
        });
      }
      document.getElementById("details-close").addEventListener("click", () => this.closeDetails());
      document.getElementById("network-fit").addEventListener("click", () => this.network.fit());
      document.addEventListener("keydown", (e) => {
        if (e.key === "Escape") this.closeDetails();
      });
      document.getElementById("f-reset").addEventListener("click", () => {
        const view = this.state.view;
        this.state = this.defaults();
        this.state.view = view;
        this.apply();
      });
      document.getElementById("filters").addEventListener("submit", (e) => e.preventDefault());
      for (const tab of document.querySelectorAll("[data-view]")) {
        tab.addEventListener("click", () => {
          this.state.view = tab.getAttribute("data-view");
          this.showView();
          this.writeFragment();
        });
      }
      const axis = this.charts.axis;
      document.getElementById("zoom-in").addEventListener("click", () => axis.zoom(0.6));
      document.getElementById("zoom-out").addEventListener("click", () => axis.zoom(1 / 0.6));
      document.getElementById("pan-left").addEventListener("click", () => axis.pan(axis.plot * 0.3));
      document.getElementById("pan-right").addEventListener("click", () => axis.pan(-axis.plot * 0.3));
      document.getElementById("zoom-reset").addEventListener("click", () => axis.reset());
      window.addEventListener("hashchange", () => {
        if (this.writing || location.hash === this.fragment()) return;
        this.readFragment();
        this.apply();
        this.showSelection();
      });
      let resizing = null;
      window.addEventListener("resize", () => {
        clearTimeout(resizing);
        resizing = setTimeout(() => {
          // the charts are laid out for a width: a change of height alone (a phone's
          // address bar, a full-page screenshot) leaves them as they are
          if (this.state.view === "time" && this.charts.plotWidth() !== this.charts.laidOut) this.drawTime();
        }, 150);
      });
    }

    readControls() {
      const checked = (name) => {
        const boxes = Array.from(document.querySelectorAll("input[name=" + name + "]"));
        const on = boxes.filter((b) => b.checked).map((b) => b.value);
        return on.length === boxes.length ? null : new Set(on);
      };
      this.state.mission = checked("mission");
      this.state.type = checked("type");
      this.state.from = document.getElementById("f-from").value.trim();
      this.state.to = document.getElementById("f-to").value.trim();
      this.state.doc = document.getElementById("f-doc").value;
      this.state.q = document.getElementById("f-q").value.trim();
      this.state.today = document.getElementById("f-today").checked;
      this.state.mentions = this.phases.length ? document.getElementById("f-mentions").checked : false;
      this.state.estimates = document.getElementById("f-estimates").checked;
      const kinds = Array.from(document.querySelectorAll("input[name=kind]"));
      const on = kinds.filter((b) => b.checked).map((b) => b.value);
      const usual = KG.DEFAULT_KINDS;
      this.state.kinds = on.length === usual.length && on.every((k) => usual.includes(k)) ? null : new Set(on);
    }

    syncControls() {
      const s = this.state;
      for (const box of document.querySelectorAll("input[name=mission]")) box.checked = !s.mission || s.mission.has(box.value);
      for (const box of document.querySelectorAll("input[name=type]")) box.checked = !s.type || s.type.has(box.value);
      const set = (id, value) => {
        const input = document.getElementById(id);
        if (input.value !== value) input.value = value;
      };
      set("f-from", s.from);
      set("f-to", s.to);
      set("f-doc", s.doc);
      set("f-q", s.q);
      document.getElementById("f-today").checked = s.today;
      const toggle = document.getElementById("f-mentions");
      toggle.checked = this.mentionsMode();
      toggle.disabled = !this.phases.length; // a build with no phases shows its mentions
      document.getElementById("f-estimates").checked = s.estimates;
      for (const box of document.querySelectorAll("input[name=kind]")) box.checked = this.kindShown(box.value);
      for (const id of ["f-from", "f-to"]) {
        const input = document.getElementById(id);
        input.classList.toggle("invalid", input.value !== "" && bound(input.value, false) === null);
      }
    }

    showView() {
      const view = this.state.view;
      for (const tab of document.querySelectorAll("[data-view]")) {
        const on = tab.getAttribute("data-view") === view;
        tab.setAttribute("aria-selected", on ? "true" : "false");
        tab.classList.toggle("active", on);
      }
      for (const name of ["time", "network", "list"]) document.getElementById("view-" + name).hidden = name !== view;
      if (view === "time" && this.timeStale) {
        this.timeStale = false;
        this.drawTime();
      } else if (view === "time") this.charts.schedule(); // a selection made on another tab: a density draws it
      if (view === "network") this.drawNetwork();
      if (view === "list" && this.listStale) this.drawList();
    }

    drawNetwork() {
      if (!this.networkDirty) return;
      this.networkDirty = false;
      this.network.show(this.passing);
      if (this.selectedNode) this.network.focus(this.selectedNode.id);
    }

    kindShown(kind) {
      return this.state.kinds ? this.state.kinds.has(kind) : KG.DEFAULT_KINDS.includes(kind);
    }

    /* The Facts tab: every fact that passes the filters, by date, a page at a time. */
    drawList() {
      this.listStale = false;
      const body = document.getElementById("fact-rows");
      KG.clear(body);
      const rows = this.shown.slice().sort((a, b) => (a.mid ?? Infinity) - (b.mid ?? Infinity) || a.index - b.index);
      const pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
      this.state.page = Math.min(Math.max(1, this.state.page), pages);
      const first = (this.state.page - 1) * PAGE_ROWS;
      const page = rows.slice(first, first + PAGE_ROWS);
      document.getElementById("list-note").textContent =
        rows.length > PAGE_ROWS
          ? "Facts " + (first + 1) + "–" + (first + page.length) + " of " + rows.length + ", by date."
          : rows.length + (rows.length === 1 ? " fact." : " facts, by date.");
      for (const id of ["pager-top", "pager-bottom"]) this.pager(document.getElementById(id), pages);
      for (const f of page) {
        const tr = element("tr");
        tr.tabIndex = 0;
        tr.setAttribute("data-fact", f.index);
        const when = f.start === f.end ? f.start || "" : (f.start || "…") + " – " + (f.end || "…");
        for (const cell of [when, KIND_NAMES[f.kind], f.mission || "–", this.summary(f), f.doc]) tr.appendChild(element("td", null, cell));
        if (f.index === this.selected) tr.classList.add("selected");
        body.appendChild(tr);
      }
    }

    /* Buttons to the first, previous, next and last page, and the page's number. */
    pager(box, pages) {
      KG.clear(box);
      box.hidden = pages < 2;
      if (pages < 2) return;
      const now = this.state.page;
      const button = (label, page, title) => {
        const b = element("button", "small", label);
        b.type = "button";
        b.title = title;
        b.setAttribute("data-page", page);
        b.disabled = page === now || page < 1 || page > pages;
        box.appendChild(b);
      };
      button("«", 1, "First page");
      button("‹ previous", now - 1, "Previous page");
      box.appendChild(element("span", "page-no", "page " + now + " of " + pages));
      button("next ›", now + 1, "Next page");
      button("»", pages, "Last page");
    }

    /* The page of the Facts tab that holds a fact, in the order the tab lists them. */
    pageOf(index) {
      const rows = this.shown.slice().sort((a, b) => (a.mid ?? Infinity) - (b.mid ?? Infinity) || a.index - b.index);
      const at = rows.findIndex((f) => f.index === index);
      return at < 0 ? null : Math.floor(at / PAGE_ROWS) + 1;
    }

    /* --- selection and the details panel ------------------------------------------------ */

    select(index) {
      this.selected = index;
      this.selectedNode = null;
      this.selectedPhase = null;
      this.state.sel = index === null ? "" : this.facts[index].id;
      this.state.phase = "";
      this.state.node = "";
      this.showSelection();
      this.openDetails();
      this.writeFragment();
    }

    selectNode(node) {
      if (!node) return;
      if (node.fact && this.factIndex.has(node.fact)) {
        this.select(this.factIndex.get(node.fact));
        return;
      }
      this.selected = null;
      this.selectedPhase = null;
      this.selectedNode = node;
      this.state.sel = "";
      this.state.phase = "";
      this.state.node = node.id;
      this.showSelection();
      this.openDetails();
      this.writeFragment();
    }

    selectPhase(index) {
      this.selected = null;
      this.selectedNode = null;
      this.selectedPhase = index;
      this.state.sel = "";
      this.state.node = "";
      this.state.phase = index === null ? "" : this.phases[index].id;
      this.showSelection();
      this.openDetails();
      this.writeFragment();
    }

    /* On a narrow page the details are a drawer over the page: open it on a click,
       and bring it into view; on a wide one they are beside the charts already. */
    openDetails() {
      const panel = document.getElementById("details");
      panel.classList.add("open");
      panel.scrollTop = 0;
      const box = panel.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight + 1) panel.scrollIntoView({ block: "start" });
      document.getElementById("details-close").focus({ preventScroll: true });
    }

    closeDetails() {
      document.getElementById("details").classList.remove("open");
    }

    showSelection() {
      this.charts.select(this.selected);
      this.charts.selectPhase(this.shownPhase());
      for (const row of document.querySelectorAll("#fact-rows tr.selected")) row.classList.remove("selected");
      if (this.selected !== null) {
        const row = document.querySelector('#fact-rows tr[data-fact="' + this.selected + '"]');
        if (row) row.classList.add("selected");
        this.details(this.facts[this.selected]);
      } else if (this.selectedPhase !== null) {
        this.phaseDetails(this.phases[this.selectedPhase]);
      } else if (this.selectedNode) {
        this.nodeDetails(this.selectedNode);
      } else {
        this.emptyDetails();
      }
      this.cursors();
    }

    emptyDetails() {
      this.closeDetails();
      const panel = document.getElementById("details-body");
      KG.clear(panel);
      panel.appendChild(element("p", "empty", "Click a bar, point, figure, row or node to see the fact, the sentence it was read from, and its document; a phase's bar, for every mention that states it."));
    }

    details(f) {
      const panel = document.getElementById("details-body");
      KG.clear(panel);
      const head = element("h3", "kind kind-" + f.kind, KIND_NAMES[f.kind]);
      panel.appendChild(head);
      const rows = [];
      const lane = this.laneOf(f);
      rows.push(["Mission", f.mission ? f.mission + " – " + lane.name : "unknown"]);
      if (f.basis) rows.push(["Mission from", BASIS_TEXT[f.basis] || f.basis]);
      rows.push(["Stated as", MODALITY_TEXT[f.modality] || f.modality]);
      if (f.component) rows.push(["Component", this.label("component", f.component)]);
      if (f.kind === "personnel") {
        rows.push(["Figure", this.figure(f) + " (" + f.qualifier + ")"]);
        rows.push(["Role", this.label("role", f.role)]);
        if (f.country) rows.push(["Country", this.label("country", f.country)]);
        rows.push(["Scope", f.scope === "contribution" ? "a country's contribution" : "the whole mission"]);
        rows.push(["Applies to", this.validity(f)]);
      } else if (f.kind === "budget") {
        rows.push(["Amount", amountText(f.amount, f.currency) + (f.recurring ? " per year" : "")]);
        rows.push(["Year", f.year || "not stated"]);
        rows.push(["Purpose", this.purposeLabel(f) + " (" + f.purpose + ")"]);
        rows.push(["Whose", this.series(f) === "dutch" ? "Dutch spending" : "an estimate by others, not Dutch spending"]);
        if (!f.year) rows.push(["Applies to", this.validity(f)]);
      } else if (f.kind === "event") {
        rows.push(["What", f.title]);
        rows.push(["Type", f.event_type ? this.label("event_type", f.event_type) : "none: no word of an event type near the date; the sentence mentions the date"]);
        if (f.event_type) rows.push(["Read from", "the word “" + f.label + "”"]);
        rows.push(["Date", f.date + " (" + f.precision + (f.modifier ? ", " + f.modifier : "") + ")"]);
        rows.push(["Between", (f.start || "not stated") + " and " + (f.end || "not stated")]);
      } else {
        rows.push(["What", f.title]);
        rows.push(["Start", f.period_start ? f.period_start + (f.start ? " (from " + f.start + ")" : "") : "start not stated: the text gives none, the stub only shows there is one"]);
        rows.push(["End", f.period_end ? f.period_end + (f.end ? " (until " + f.end + ")" : "") : "end not stated: the text gives none, the stub only shows there is one"]);
        if (f.label) rows.push(["Read from", "the word “" + f.label + "”"]);
      }
      panel.appendChild(this.table(rows));
      if (this.phaseOfFact.has(f.index)) {
        const phase = this.phases[this.phaseOfFact.get(f.index)];
        const up = element("button", "small link", "Part of the phase “" + phase.title + "”: its details");
        up.type = "button";
        up.setAttribute("data-phase-link", phase.index);
        up.addEventListener("click", () => this.selectPhase(phase.index));
        panel.appendChild(up);
      }
      panel.appendChild(element("h4", null, "Source sentence"));
      panel.appendChild(this.quote(f));
      panel.appendChild(element("p", "offsets", "Characters " + f.offsets[0] + "–" + f.offsets[1] + " of " + f.doc + "."));
      this.documentBlock(panel, this.documents.get(f.doc), f.doc);
    }

    /* A phase: its sides with their precision and status, its plans, the rules that
       joined it, and every mention that supports it, by document and sentence, each
       sentence with its mentions' words marked and each mention a link to its own
       details. */
    phaseDetails(p) {
      const panel = document.getElementById("details-body");
      KG.clear(panel);
      panel.appendChild(element("h3", "kind kind-phase", "Contribution phase"));
      const lane = this.laneByCode.get(p.lane);
      const rows = [["What", p.title], ["Mission", p.mission + " – " + (lane ? lane.name : p.mission)]];
      if (p.component) rows.push(["Component", this.label("component", p.component)]);
      rows.push(["Start", this.sideText(p, "start")]);
      rows.push(["End", this.sideText(p, "end")]);
      if (p.planned_start) rows.push(["Planned start", p.planned_start + " (a plan, not a stated start: drawn dotted)"]);
      if (p.planned_end) rows.push(["Planned end", p.planned_end + " (a plan, not a stated end: drawn dotted)"]);
      rows.push(["Joined by", p.rules.map((r) => this.label("rule", r)).join("; ")]);
      const facts = p.facts.map((i) => this.facts[i]);
      const sentences = new Set(facts.map((f) => f.doc + "\u0000" + f.s));
      const docs = new Set(facts.map((f) => f.doc));
      const kinds = ["period", "event"].map((k) => [k, facts.filter((f) => f.kind === k).length]).filter((pair) => pair[1]);
      rows.push([
        "Mentions",
        count(p.mentions.length, "mention") + " (" + kinds.map((pair) => count(pair[1], pair[0])).join(", ") + ") in " + count(sentences.size, "sentence") + " of " + count(docs.size, "document"),
      ]);
      panel.appendChild(this.table(rows));
      const how = element("details", "rules");
      how.appendChild(element("summary", null, "How the mentions were joined"));
      for (const rule of p.rules) {
        const concept = this.labels.get("rule:" + rule);
        const line = element("p");
        line.appendChild(element("strong", null, concept ? concept.label : rule));
        line.appendChild(document.createTextNode(concept && concept.definition ? ": " + concept.definition : ""));
        how.appendChild(line);
      }
      panel.appendChild(how);
      panel.appendChild(element("h4", null, "Supporting mentions"));
      if (p.missing) panel.appendChild(element("p", "note", count(p.missing, "mention") + " of this phase " + (p.missing === 1 ? "is" : "are") + " not in this page's data."));
      const list = element("div", "phase-mentions");
      panel.appendChild(list);
      this.mentionList(list, p, SHOWN_SENTENCES);
    }

    /* What the texts say of a phase's side. */
    sideText(p, side) {
      const status = p[side + "_status"];
      if (status === "stated") {
        const value = p[side + "_value"];
        const first = side === "start" ? p.start : p.end;
        const days = first && first !== value ? "; " + (side === "start" ? "from " : "until ") + first : "";
        return value + " (" + (p[side + "_precision"] || "precision unknown") + days + "), stated";
      }
      if (status === "disputed") {
        const claims = p[side + "_claims"] || [];
        return "disputed: the latest documents disagree" + (claims.length ? " (" + claims.join("; ") + ")" : "") + "; no date is given, the hatching spans the days they give";
      }
      return side + " not stated: no text gives one, the stub only shows there is one";
    }

    /* A phase's mentions by document (by date) and sentence (in text order); the
       first ``limit`` sentences, then a button for the rest. */
    mentionList(box, p, limit) {
      KG.clear(box);
      const byDoc = new Map();
      for (const i of p.facts) {
        const f = this.facts[i];
        if (!byDoc.has(f.doc)) byDoc.set(f.doc, new Map());
        const sentences = byDoc.get(f.doc);
        if (!sentences.has(f.s)) sentences.set(f.s, []);
        sentences.get(f.s).push(f);
      }
      const dated = (id) => (this.documents.get(id) || {}).date || "";
      const docs = Array.from(byDoc.keys()).sort((a, b) => (dated(a) < dated(b) ? -1 : dated(a) > dated(b) ? 1 : a < b ? -1 : a > b ? 1 : 0));
      let shown = 0;
      let total = 0;
      for (const id of docs) total += byDoc.get(id).size;
      for (const id of docs) {
        if (shown >= limit) break;
        const doc = this.documents.get(id);
        const block = element("section", "phase-doc");
        const line = doc ? [doc.date || "undated", doc.type, numberLabel(doc.number)].filter(Boolean).join(" · ") : id;
        block.appendChild(element("p", "doc-line", line));
        if (doc && doc.title) block.appendChild(element("p", "doc-sub", doc.title));
        const sentences = Array.from(byDoc.get(id).values()).map((fs) => fs.sort((a, b) => a.offsets[0] - b.offsets[0] || a.index - b.index));
        sentences.sort((a, b) => a[0].offsets[0] - b[0].offsets[0]);
        for (const fs of sentences) {
          if (shown >= limit) break;
          shown += 1;
          block.appendChild(this.quoteMarks(fs[0].sentenceText, fs.map((f) => f.mark)));
          const mentions = element("ul", "mentions");
          for (const f of fs) {
            const item = element("li");
            const link = element("button", "small link", this.mentionName(f, p));
            link.type = "button";
            link.setAttribute("data-fact", f.index);
            link.title = "The mention's own details (characters " + f.offsets[0] + "–" + f.offsets[1] + " of " + f.doc + ")";
            link.addEventListener("click", () => this.select(f.index));
            item.appendChild(link);
            mentions.appendChild(item);
          }
          block.appendChild(mentions);
        }
        box.appendChild(block);
      }
      if (shown < total) {
        const more = element("button", "small", "Show all " + total + " sentences");
        more.type = "button";
        more.addEventListener("click", () => this.mentionList(box, p, Infinity));
        box.appendChild(more);
      }
    }

    /* A mention in a phase's list: its kind and title, and what it gives the phase. */
    mentionName(f, p) {
      const [start, end] = p.gives.get(f.index) || [false, false];
      const sides = [start ? "start" : "", end ? "end" : ""].filter(Boolean).join(" and ");
      const how = f.modality && f.modality !== "stated" ? f.modality + " " : "";
      const gives = sides ? "gives the " + how + sides : f.kind === "event" ? "an event of the sentence" : "supports it";
      const what = f.kind === "event" ? f.date + " " + f.title : f.title;
      return KIND_NAMES[f.kind] + ": " + what + " (" + gives + ")";
    }

    /* A sentence with several spans marked (merged where they overlap). */
    quoteMarks(text, marks) {
      const spans = marks
        .map((m) => [Math.max(0, Math.min(text.length, m[0])), Math.max(0, Math.min(text.length, m[1]))])
        .filter((m) => m[1] > m[0])
        .sort((a, b) => a[0] - b[0]);
      const merged = [];
      for (const span of spans) {
        const last = merged[merged.length - 1];
        if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
        else merged.push(span.slice());
      }
      const block = element("blockquote", "quote");
      let at = 0;
      for (const [a, b] of merged) {
        block.appendChild(document.createTextNode(text.slice(at, a)));
        block.appendChild(element("mark", null, text.slice(a, b)));
        at = b;
      }
      block.appendChild(document.createTextNode(text.slice(at)));
      return block;
    }

    validity(f) {
      if (f.placed === "document") return "not stated; drawn at the document's date";
      if (f.placed === "none") return "not stated";
      const stated = [f.valid_from, f.valid_to].filter(Boolean);
      const words = stated.length === 2 && stated[0] !== stated[1] ? stated[0] + " to " + stated[1] : stated[0] || "";
      return (words ? words + "; " : "") + (f.start || "…") + " – " + (f.end || "…");
    }

    /* The sentence with the figure marked: three text nodes, the middle one in <mark>. */
    quote(f) {
      const text = f.sentenceText;
      const block = element("blockquote", "quote");
      const a = Math.max(0, Math.min(text.length, f.mark[0]));
      const b = Math.max(a, Math.min(text.length, f.mark[1]));
      block.appendChild(document.createTextNode(text.slice(0, a)));
      block.appendChild(element("mark", null, text.slice(a, b)));
      block.appendChild(document.createTextNode(text.slice(b)));
      return block;
    }

    table(rows) {
      const dl = element("dl", "facts");
      for (const [name, value] of rows) {
        dl.appendChild(element("dt", null, name));
        const dd = element("dd", null, value instanceof Node ? null : value);
        if (value instanceof Node) dd.appendChild(value);
        dl.appendChild(dd);
      }
      return dl;
    }

    documentBlock(panel, doc, id) {
      panel.appendChild(element("h4", null, "Document"));
      if (!doc) {
        panel.appendChild(element("p", null, id));
        return;
      }
      panel.appendChild(element("p", "doc-title", doc.title || "(no title found)"));
      const rows = [
        ["Type", doc.type],
        ["Date", doc.date ? doc.date + (doc.inferred ? " (inferred: the document gives no date of its own)" : "") : "not found"],
      ];
      if (doc.chamber) rows.push(["Chamber", doc.chamber]);
      if (doc.dossier || doc.number) rows.push(["Number", [doc.dossier ? "Kamerstuk " + doc.dossier : "", numberLabel(doc.number)].filter(Boolean).join(", ")]);
      if (doc.signatories) rows.push(["Signed by", doc.signatories.map((s) => s[0] + (s[1] ? " (" + s[1] + ")" : "")).join("; ")]);
      if (doc.identifier || doc.page) rows.push(["Official", this.officialLink(doc)]);
      rows.push(["File", doc.id]);
      panel.appendChild(this.table(rows));
      const only = element("button", "small", this.state.doc === doc.id ? "Show all documents" : "Only this document");
      only.type = "button";
      only.addEventListener("click", () => {
        this.state.doc = this.state.doc === doc.id ? "" : doc.id;
        this.apply({ rezoom: false });
        this.showSelection();
      });
      panel.appendChild(only);
    }

    // The official page of a fetched document (dcterms:source), named by its official
    // identifier; only an http(s) address becomes a link.
    officialLink(doc) {
      const label = doc.identifier || doc.page;
      if (!doc.page || !/^https?:\/\//.test(doc.page)) return label;
      const link = element("a", "official", label);
      link.href = doc.page;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      return link;
    }

    nodeDetails(node) {
      const panel = document.getElementById("details-body");
      KG.clear(panel);
      const kind = KG.NETWORK_KINDS[node.group];
      panel.appendChild(element("h3", "kind", kind ? kind.label[0].toUpperCase() + kind.label.slice(1) : node.group));
      if (node.group === "document") {
        const facts = this.facts.filter((f) => f.doc === node.doc);
        panel.appendChild(element("p", null, TYPES.map((k) => facts.filter((f) => f.kind === k).length + " " + KIND_PLURAL[k]).join(", ")));
        this.documentBlock(panel, this.documents.get(node.doc), node.doc);
        return;
      }
      const code = node.id.slice(node.id.indexOf(":") + 1);
      const concept = this.labels.get(node.group + ":" + code);
      const rows = [["Name", concept ? concept.label : node.label]];
      if (concept && concept.label_nl && concept.label_nl !== concept.label) rows.push(["Dutch", concept.label_nl]);
      if (node.group !== "person") rows.push(["Code", code]);
      if (node.aliases && node.aliases.length) rows.push(["Also written", node.aliases.join("; ")]);
      if (node.group === "component" && node.mission) rows.push(["Mission", node.mission]);
      const links = this.data.edges.filter((e) => e.source === node.id || e.target === node.id);
      rows.push(["Links", links.length + " in the whole network"]);
      if (node.group === "mission" || node.group === "component") {
        const key = node.group === "mission" ? "mission" : "component";
        const n = this.facts.filter((f) => f[key] === code).length;
        rows.push(["Facts", n + " in all documents"]);
      }
      panel.appendChild(this.table(rows));
      if (node.group === "mission") {
        const only = element("button", "small", "Only this mission");
        only.type = "button";
        only.addEventListener("click", () => {
          this.state.mission = new Set([code]);
          this.apply({ rezoom: false });
        });
        panel.appendChild(only);
      }
    }

    componentLegend(legend, lane, components, colour) {
      const line = element("div", "legend-line");
      line.appendChild(element("strong", null, lane.code + ":"));
      for (const c of components) {
        const key = element("span", "key");
        const swatch = element("span", "swatch round");
        swatch.style.backgroundColor = colour.get(c);
        key.appendChild(swatch);
        key.appendChild(document.createTextNode(c ? this.label("component", c) : "whole contribution"));
        line.appendChild(key);
      }
      legend.appendChild(line);
    }

    missionLegend(element) {
      KG.clear(element);
      for (const lane of this.lanes) {
        const key = document.createElement("span");
        key.className = "key";
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.backgroundColor = lane.colour;
        key.appendChild(swatch);
        key.appendChild(document.createTextNode(lane.code === "other" ? "no mission named" : lane.code + " " + lane.name));
        element.appendChild(key);
      }
    }

    start() {
      this.buildControls();
      this.missionLegend(document.getElementById("legend-missions"));
      this.missionLegend(document.getElementById("legend-spending-missions"));
      this.network.legend(document.getElementById("legend-network"));
      document.getElementById("fact-rows").addEventListener("click", (e) => {
        const row = e.target.closest("tr[data-fact]");
        if (row) this.select(Number(row.getAttribute("data-fact")));
      });
      document.getElementById("fact-rows").addEventListener("keydown", (e) => {
        const row = e.target.closest("tr[data-fact]");
        if (row && (e.key === "Enter" || e.key === " ")) {
          e.preventDefault();
          this.select(Number(row.getAttribute("data-fact")));
        }
      });
      this.readFragment();
      this.apply();
      // a shared selection opens the Facts tab at its page, unless a page is given
      const paged = new URLSearchParams(location.hash.replace(/^#/, "")).has("page");
      if (!paged && this.selected !== null) {
        this.state.page = this.pageOf(this.selected) || 1;
        if (this.state.view === "list") this.drawList();
      }
      this.showSelection();
      if (this.selected !== null || this.selectedNode || this.selectedPhase !== null) document.getElementById("details").classList.add("open");
      document.getElementById("version").textContent = "kg " + this.data.version;
    }
  }

  function count(n, noun) {
    return n + " " + noun + (n === 1 ? "" : "s");
  }

  function short(text, n) {
    return text.length > n ? text.slice(0, n - 1) + "…" : text;
  }

  function main() {
    let data;
    try {
      data = JSON.parse(document.getElementById("kg-data").textContent);
    } catch (err) {
      document.getElementById("summary").textContent = "The page's data cannot be read: " + err.message;
      return;
    }
    const app = new App(data);
    KG.app = app;
    app.start();
    requestAnimationFrame(() => {
      window.kgReady = true;
      performance.mark("kg-ready");
      document.documentElement.setAttribute("data-ready", "true");
    });
  }

  main();
})((window.KG = window.KG || {}));
