/** Soft, distinguishable fills for neighbouring grids; the stroke is a darker shade of the same hue. */
const fills = [
  ["#9ecae1", "#3b7cae"],
  ["#a1d99b", "#3f8f3a"],
  ["#fdd0a2", "#c4731b"],
  ["#dadaeb", "#6a5fa8"],
  ["#fcbba1", "#c2503a"],
  ["#c7e9c0", "#4f9a5a"],
  ["#fde0ef", "#b5577f"],
  ["#d9f0a3", "#7c9a1f"],
  ["#c6dbef", "#4a77a8"],
  ["#f6e8c3", "#a5832c"],
] as const;

export function gridColours(index: number): { fill: string; stroke: string } {
  const pair = fills[index % fills.length] ?? fills[0];
  return { fill: pair[0], stroke: pair[1] };
}

export const mapColours = {
  selected: "#d4380d",
  community: "#44546a",
  boundary: "#8c8c8c",
  background: "#f3f1ec",
  /** Topology faults: gaps and overlaps. */
  problem: "#f5222d",
  /** The part of a grid outside its community. */
  outside: "#fa541c",
};
