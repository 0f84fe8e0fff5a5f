// The subject's graph, laid out by elkjs (layered, left to right; loaded the first time a graph is
// drawn) and drawn as SVG. Every node and edge with an object is a focusable button that shows its YAML.
import type { ELK, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import type { ObjectRef } from '../../access/lint/types.js';
import type { Graph, GraphNode } from '../graph-model.js';
import { h, svg } from './dom.js';

const NODE_HEIGHT = 30;
const MAX_LABEL = 48;
const CHAR_WIDTH = 7.2;

const shortLabel = (s: string) => (s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s);

let elk: Promise<ELK> | undefined;
const loadElk = () => (elk ??= import('./elk.js').then((m) => m.newElk()));

/** Makes an SVG element act as a button: focusable, Enter and Space press it. */
function pressable(el: SVGElement, label: string, press: () => void): SVGElement {
  el.setAttribute('tabindex', '0');
  el.setAttribute('role', 'button');
  el.setAttribute('aria-label', label);
  el.addEventListener('click', press);
  el.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      press();
    }
  });
  return el;
}

const draws = new WeakMap<HTMLElement, number>();

export async function drawGraph(container: HTMLElement, graph: Graph, showYaml: (ref: ObjectRef) => void, subjectRef?: ObjectRef): Promise<void> {
  const draw = (draws.get(container) ?? 0) + 1;
  draws.set(container, draw);
  if (graph.nodes.length <= 1) return void container.replaceChildren(h('p', {}, 'No binding (that you may read) names this subject.'));
  const graphIn: ElkNode = {
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'RIGHT', 'elk.layered.spacing.nodeNodeBetweenLayers': '48', 'elk.spacing.nodeNode': '10', 'elk.edgeRouting': 'POLYLINE' },
    children: graph.nodes.map((n) => ({ id: n.id, width: Math.ceil(shortLabel(n.label).length * CHAR_WIDTH) + 20, height: NODE_HEIGHT })),
    edges: graph.edges.map((e): ElkExtendedEdge => ({ id: e.id, sources: [e.source], targets: [e.target] })),
  };
  const layout: ElkNode = await (await loadElk()).layout(graphIn);
  if (draws.get(container) !== draw) return;
  const byId = new Map<string, GraphNode>(graph.nodes.map((n) => [n.id, n]));
  const edgesById = new Map(graph.edges.map((e) => [e.id, e]));
  const width = Math.ceil(layout.width ?? 0) + 4;
  const height = Math.ceil(layout.height ?? 0) + 4;
  const root = svg('svg', { viewBox: `-2 -2 ${width} ${height}`, width, height, role: 'group', 'aria-label': 'How the subject gets its access' });
  root.append(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, svg('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))));
  for (const e of layout.edges ?? []) {
    const edge = edgesById.get(e.id)!;
    const d = (e.sections ?? []).map((s: NonNullable<ElkExtendedEdge['sections']>[number]) => `M${s.startPoint.x},${s.startPoint.y} ${(s.bendPoints ?? []).map((p: { x: number; y: number }) => `L${p.x},${p.y} `).join('')}L${s.endPoint.x},${s.endPoint.y}`).join(' ');
    const g = svg('g', { class: `edge${edge.ref ? ' pressable' : ''}`, 'data-edge': edge.id }, svg('path', { d, class: 'hit' }), svg('path', { d, class: 'line', 'marker-end': 'url(#arrow)' }), svg('title', {}, `${byId.get(edge.source)?.label} → ${edge.label} → ${byId.get(edge.target)?.label}`));
    if (edge.ref) pressable(g, `${edge.label}: ${byId.get(edge.source)?.label} → ${byId.get(edge.target)?.label} (show ${edge.ref.kind} ${edge.ref.name})`, () => showYaml(edge.ref!));
    root.append(g);
  }
  for (const n of layout.children ?? []) {
    const node = byId.get(n.id)!;
    const ref = node.ref ?? (node.kind === 'subject' ? subjectRef : undefined);
    const g = svg('g', { class: `node ${node.kind}${node.missing ? ' missing' : ''}${ref ? ' pressable' : ''}`, transform: `translate(${n.x},${n.y})`, 'data-node': node.id }, svg('rect', { width: n.width!, height: n.height!, rx: 5 }), svg('text', { x: 10, y: NODE_HEIGHT / 2 + 4 }, shortLabel(node.label)), svg('title', {}, `${node.label}${node.missing ? ' (not found)' : ''}`));
    if (ref) pressable(g, `${node.kind} ${node.label}${node.missing ? ' (not found)' : ''}: show its YAML`, () => showYaml(ref));
    root.append(g);
  }
  container.replaceChildren(root);
}
