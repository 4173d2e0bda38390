/* kg viewer: the network of missions, components, documents, events, organisations,
   countries and people, drawn with vis-network (copied from the installed pyvis
   package at build time). Nodes and edges come from the build; this file only
   filters them and styles them by kind. Labels are drawn on a canvas, never as markup. */
(function (KG) {
  "use strict";

  const MAX_EVENTS = 300; // more event nodes make the layout slow and unreadable

  // size: of the shape; text: of the label (events show theirs on hover)
  const KINDS = {
    mission: { colour: "#1f4e8c", shape: "box", label: "mission", font: "#ffffff", size: 16, text: 30 },
    component: { colour: "#8fbce6", shape: "box", label: "component", font: "#10243d", size: 12, text: 18 },
    document: { colour: "#5b6470", shape: "box", label: "document", font: "#ffffff", size: 12, text: 20 },
    event: { colour: "#e8a33d", shape: "dot", label: "event", font: "#333333", size: 7, text: 0 },
    organisation: { colour: "#13907d", shape: "diamond", label: "organisation", font: "#0b4d43", size: 11, text: 18 },
    country: { colour: "#3d9a40", shape: "triangle", label: "country (place)", font: "#1e5220", size: 11, text: 18 },
    person: { colour: "#c0392b", shape: "star", label: "person", font: "#6e1f17", size: 11, text: 18 },
  };

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

    legend(element) {
      KG.clear(element);
      for (const kind in KINDS) {
        const item = document.createElement("span");
        item.className = "key";
        const swatch = document.createElement("span");
        swatch.className = "swatch " + KINDS[kind].shape;
        swatch.style.backgroundColor = KINDS[kind].colour;
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(KINDS[kind].label));
        element.appendChild(item);
      }
    }

    /* The nodes and edges that the filters leave: events whose fact passes, the
       missions chosen, the documents chosen, and what those are linked to. */
    visible(passing) {
      const state = this.app.state;
      const keep = new Set();
      const events = [];
      for (const node of this.nodes) {
        if (node.group === "event") {
          const index = this.app.factIndex.get(node.fact);
          if (index !== undefined && passing.has(index)) events.push([this.app.facts[index], node]);
        } else if (node.group === "mission") {
          if (this.app.missionShown(node.mission)) keep.add(node.id);
        } else if (node.group === "component") {
          if (this.app.missionShown(node.mission || "other")) keep.add(node.id);
        } else if (node.group === "document") {
          if (!state.doc || state.doc === node.doc) keep.add(node.id);
        }
      }
      events.sort((a, b) => (a[0].mid ?? 0) - (b[0].mid ?? 0));
      const capped = events.length > MAX_EVENTS;
      for (const [, node] of events.slice(0, MAX_EVENTS)) keep.add(node.id);
      // documents that report a shown event, and what shown nodes name
      for (const edge of this.edges) {
        if (edge.source.startsWith("event:") && keep.has(edge.source)) keep.add(edge.target);
        if (edge.target.startsWith("event:") && keep.has(edge.target) && !state.doc) keep.add(edge.source);
      }
      for (const edge of this.edges) {
        const a = this.byId.get(edge.source);
        const b = this.byId.get(edge.target);
        if (!a || !b) continue;
        if (a.group === "document" && b.group === "person" && keep.has(a.id)) keep.add(b.id);
        if (a.group === "country" && keep.has(b.id) && b.group === "mission") keep.add(a.id);
      }
      // a mission left out by the filter stays out, even when an event names it
      for (const node of this.nodes) {
        if ((node.group === "mission" || node.group === "component") && !this.app.missionShown(node.mission || "other")) keep.delete(node.id);
      }
      const nodes = this.nodes.filter((n) => keep.has(n.id));
      const edges = this.edges.filter((e) => keep.has(e.source) && keep.has(e.target));
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
        ". Drag to move, scroll to zoom, click a node for its details.";
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
          forceAtlas2Based: { gravitationalConstant: -60, centralGravity: 0.02, springLength: 80, springConstant: 0.05, avoidOverlap: 0.5 },
          stabilization: { iterations: 300, updateInterval: 50 },
        },
        interaction: { hover: true, tooltipDelay: 150, navigationButtons: false, keyboard: false },
        edges: { color: { color: "#b8bec6", highlight: "#333333" }, width: 1, smooth: false },
        nodes: { borderWidth: 1, scaling: { label: { drawThreshold: 3 } } },
      };
      if (this.network) this.network.destroy();
      this.network = new vis.Network(this.container, { nodes: nodes, edges: edges }, options);
      this.network.once("stabilizationIterationsDone", () => this.network.setOptions({ physics: false }));
      this.network.on("click", (params) => {
        if (params.nodes.length) this.app.selectNode(this.byId.get(params.nodes[0]));
      });
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
})((window.KG = window.KG || {}));
