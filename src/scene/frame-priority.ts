/**
 * useFrame priorities: the frame is derived from the store first, then the camera moves, then
 * every part updates its uniforms, then the composer renders the whole frame. Any positive
 * priority also tells r3f that we render ourselves.
 */
export const FRAME_PRIORITY = { derive: 1, camera: 2, update: 3, render: 4 } as const;
