/**
 * The threads' ribbons: one strip per dreamer, all in one geometry (one draw call). A vertex
 * carries only (u along the thread, side -1..1, dreamer index); the vertex shader weaves the path.
 */
export const THREAD_SEGMENTS = 220;

export interface ThreadArrays {
  position: Float32Array;
  index: Uint32Array;
}

export const buildThreadArrays = (threads: number, segments = THREAD_SEGMENTS): ThreadArrays => {
  const count = Math.max(0, Math.floor(threads));
  const perThread = (segments + 1) * 2;
  const position = new Float32Array(count * perThread * 3);
  const index = new Uint32Array(count * segments * 6);
  let v = 0;
  let e = 0;
  for (let k = 0; k < count; k++) {
    const base = k * perThread;
    for (let s = 0; s <= segments; s++) {
      const u = s / segments;
      for (let side = -1; side <= 1; side += 2) {
        position[v++] = u;
        position[v++] = side;
        position[v++] = k;
      }
      if (s < segments) {
        const a = base + s * 2;
        index[e++] = a;
        index[e++] = a + 1;
        index[e++] = a + 2;
        index[e++] = a + 1;
        index[e++] = a + 3;
        index[e++] = a + 2;
      }
    }
  }
  return { position, index };
};
