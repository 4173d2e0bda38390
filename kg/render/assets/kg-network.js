/* kg viewer: the network of missions, components, documents, events, organisations,
   countries and people, drawn with vis-network (copied from the installed pyvis
   package at build time). Nodes and edges come from the build, each person once
   whatever the spellings (kg/render/data.py, same_people); this file only filters
   them and styles them by kind. It opens without events and countries, which a
   reader ticks in the legend. Labels are drawn on a canvas, never as markup. */
(function (KG) {
  "use strict";

  const MAX_EVENTS = 300; // more event nodes make the layout slow and unreadable
  const READABLE = 11; // the smallest label, in screen pixels, once the network is drawn

  // size: of the shape; text: of the label (events show theirs on hover)
  const KINDS = {
    mission: { colour: "#1f4e8c", shape: "box", label: "mission", font: "#ffffff", size: 16, text: 22 },
    component: { colour: "#8fbce6", shape: "box", label: "component", font: "#10243d", size: 12, text: 16 },
    document: { colour: "#5b6470", shape: "box", label: "document", font: "#ffffff", size: 12, text: 16 },
    event: { colour: "#e8a33d", shape: "dot", label: "event", font: "#333333", size: 7, text: 0 },
    organisation: { colour: "#13907d", shape: "diamond", label: "organisation", font: "#0b4d43", size: 11, text: 16 },
    country: { colour: "#3d9a40", shape: "triangle", label: "country (place)", font: "#1e5220", size: 11, text: 16 },
    person: { colour: "#c0392b", shape: "star", label: "person", font: "#6e1f17", size: 11, text: 16 },
  };
  const DEFAULT_KINDS = ["mission", "component", "document", "organisation", "person"];

  class Network {
    constructor(app, container, note) {
      this.app = app;
      this.container = container;
      this.note = note;
      this.network = null;
      this.nodes = app.data.nodes || [];
      this.edges = app.data.edges || [];
      this.byId = new Map(this.nodes.map((n) => [n.id, n]));
      this.shownKey = null;
    }

    /* The legend, each kind with a box to show or hide its nodes. */
    legend(element) {
      KG.clear(element);
      for (const kind in KINDS) {
        const item = document.createElement("label");
        item.className = "key check";
        const box = document.createElement("input");
        box.type = "checkbox";
        box.name = "kind";
        box.value = kind;
        const swatch = document.createElement("span");
        swatch.className = "swatch " + KINDS[kind].shape;
        swatch.style.backgroundColor = KINDS[kind].colour;
        item.appendChild(box);
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(KINDS[kind].label));
        element.appendChild(item);
      }
    }

    /* The nodes and edges that the filters leave: the missions chosen and their
       components, the documents with a fact that passes, the events that pass (when
       shown), and the organisations, countries and people those name; each kind only
       where its box is ticked, and no node without a link. */
    visible(passing) {
      const app = this.app;
      const state = app.state;
      const on = (kind) => app.kindShown(kind);
      const documents = new Set();
      for (const index of passing) documents.add(app.facts[index].doc);
      const keep = new Set();
      const events = [];
      for (const node of this.nodes) {
        if (!on(node.group)) continue;
        if (node.group === "event") {
          const index = app.factIndex.get(node.fact);
          if (index !== undefined && passing.has(index)) events.push([app.facts[index], node]);
        } else if (node.group === "mission" || node.group === "component") {
          if (app.missionShown(node.mission || "other")) keep.add(node.id);
        } else if (node.group === "document") {
          if (documents.has(node.doc) && (!state.doc || state.doc === node.doc)) keep.add(node.id);
        }
      }
      events.sort((a, b) => (a[0].mid ?? 0) - (b[0].mid ?? 0));
      const capped = events.length > MAX_EVENTS;
      for (const [, node] of events.slice(0, MAX_EVENTS)) keep.add(node.id);
      // what shown documents and events name, and who contributes to a shown mission
      const named = new Set(["organisation", "country", "person"]);
      for (const edge of this.edges) {
        const a = this.byId.get(edge.source);
        const b = this.byId.get(edge.target);
        if (!a || !b) continue;
        if (keep.has(a.id) && (a.group === "document" || a.group === "event") && named.has(b.group) && on(b.group)) keep.add(b.id);
        if (a.group === "country" && on("country") && keep.has(b.id) && b.group === "mission") keep.add(a.id);
      }
      const edges = this.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
      const linked = new Set();
      for (const e of edges) {
        linked.add(e.source);
        linked.add(e.target);
      }
      const nodes = this.nodes.filter((n) => keep.has(n.id) && linked.has(n.id));
      return { nodes: nodes, edges: edges, events: events.length, capped: capped };
    }

    /* Draw (or redraw) the network for the facts that pass the filters. */
    show(passing) {
      if (typeof vis === "undefined" || !vis.Network) {
        this.note.textContent = "The network needs vis-network.min.js beside this page; rebuild with kg build.";
        return;
      }
      const view = this.visible(passing);
      const key = view.nodes.map((n) => n.id).join("|");
      this.note.textContent =
        view.nodes.length + " nodes, " + view.edges.length + " links" +
        (view.capped ? "; showing the first " + MAX_EVENTS + " of " + view.events + " events (narrow the filters to see the others)" : "") +
        ". Tick a kind above to show or hide it. Drag to move, scroll to zoom (Fit shows all, in smaller type), click a node for its details.";
      if (key === this.shownKey && this.network) return;
      this.shownKey = key;
      const nodes = view.nodes.map((n) => {
        const kind = KINDS[n.group] || KINDS.event;
        const node = {
          id: n.id,
          shape: kind.shape,
          size: kind.size,
          color: { background: kind.colour, border: kind.colour, highlight: { background: "#ffd84d", border: "#222222" } },
          font: { color: kind.font, size: kind.text || 12 },
        };
        // vis-network shows a string title as text, not markup
        if (kind.text) node.label = n.label;
        else node.title = n.label;
        if (kind.shape === "box") node.margin = 8;
        return node;
      });
      const edges = view.edges.map((e, i) => ({ id: "e" + i, from: e.source, to: e.target, arrows: { to: { enabled: true, scaleFactor: 0.4 } } }));
      const options = {
        autoResize: true,
        layout: { randomSeed: 11, improvedLayout: nodes.length < 150 },
        physics: {
          solver: "forceAtlas2Based",
          forceAtlas2Based: { gravitationalConstant: -50, centralGravity: 0.03, springLength: 70, springConstant: 0.06, avoidOverlap: 1 },
          stabilization: { iterations: 300, updateInterval: 50 },
        },
        interaction: { hover: true, tooltipDelay: 150, navigationButtons: false, keyboard: false },
        edges: { color: { color: "#b8bec6", highlight: "#333333" }, width: 1, smooth: false },
        nodes: { borderWidth: 1 },
      };
      if (this.network) this.network.destroy();
      this.network = new vis.Network(this.container, { nodes: nodes, edges: edges }, options);
      this.network.once("stabilizationIterationsDone", () => {
        this.network.setOptions({ physics: false });
        this.readable();
      });
      this.network.on("click", (params) => {
        if (params.nodes.length) this.app.selectNode(this.byId.get(params.nodes[0]));
      });
    }

    /* Fit the network, then zoom in until its smallest label is READABLE pixels high:
       a large network is then panned rather than shown in unreadable type. */
    readable() {
      this.network.fit({ animation: false });
      const smallest = Math.min.apply(null, Object.values(KINDS).map((k) => k.text).filter(Boolean));
      const scale = this.network.getScale();
      if (scale * smallest < READABLE) this.network.moveTo({ scale: READABLE / smallest, animation: false });
    }

    /* The whole network in view, whatever the size of its labels. */
    fit() {
      if (this.network) this.network.fit({ animation: false });
    }

    /* The size in screen pixels of the smallest label drawn (for the tests). */
    labelPixels() {
      if (!this.network) return null;
      const sizes = this.network.body.nodeIndices.map((id) => this.network.body.nodes[id]).filter((n) => n.options.label).map((n) => n.options.font.size);
      return sizes.length ? Math.min.apply(null, sizes) * this.network.getScale() : null;
    }

    focus(nodeId) {
      if (this.network && this.byId.has(nodeId)) {
        try {
          this.network.selectNodes([nodeId]);
        } catch (err) {
          // the node is filtered out of the drawn network
        }
      }
    }
  }

  KG.Network = Network;
  KG.NETWORK_KINDS = KINDS;
  KG.DEFAULT_KINDS = DEFAULT_KINDS;
})((window.KG = window.KG || {}));
