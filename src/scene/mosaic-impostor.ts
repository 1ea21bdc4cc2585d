import { Color, DoubleSide, LinearFilter, Mesh, OrthographicCamera, PlaneGeometry, Uniform, Vector2, WebGLRenderTarget } from 'three';
import type { BufferGeometry, Material, Texture, WebGLRenderer } from 'three';
import impostorVert from '../../shaders/mosaic-impostor.vert';
import impostorFrag from '../../shaders/mosaic-impostor.frag';
import { DreamShaderMaterial, shapeDefines } from './materials.ts';

type ImpostorMaterial = DreamShaderMaterial<{ uPicture: Uniform<Texture | null>; uAspect: Uniform<number>; uReach: Uniform<Vector2> }>;

/**
 * Grid segments of the picture's mesh per shape (MOSAIC_SHAPES' order): a flat shape's picture is
 * one quad (2 triangles); the wall's squaring-up bends lines a little (16x12: 384 triangles); the
 * floor is a plane (one quad, laid back); the dome and the sphere are curved (32x24: 1,536
 * triangles, ~1 ms under SwiftShader against the ~15 ms of 26,000 tile triangles). Null: a plain quad.
 */
const SURFACE_GRID: readonly ([number, number] | null)[] = [null, null, null, [32, 24], [16, 12], [1, 1], [32, 24], null];

const clearColour = new Color();

/**
 * The resting tiles are redrawn into the picture a slice at a time, about this many triangles a
 * frame (~2 ms under SwiftShader): every tile within 2 to MAX_SLICES frames (4,096 tiles: 8 frames,
 * 0.4 s at 20 fps; 16,384 and more: 16).
 */
export const TRIANGLES_PER_FRAME = 3500;
export const MAX_SLICES = 16;
export const slicesFor = (triangles: number): number => Math.max(2, Math.min(MAX_SLICES, Math.ceil(triangles / TRIANGLES_PER_FRAME)));

/**
 * The Dream Mosaic at rest on a machine slow enough that adaptive quality reduced the detail.
 * Software WebGL spends ~0.6 µs on every small triangle whatever its size on screen (4,096 tiles
 * are 26,335 triangles: ~15 of the mosaic's ~22 ms at 640x360), so there the resting tiles are drawn
 * flat, with their own material, into a picture the size they take on screen, a slice of them
 * each frame (every tile is redrawn within slicesFor(triangles) frames; the whole picture at once when
 * the layout, the size or the context changes, or when the mosaic comes back to rest); each frame
 * then draws the picture as one quad, moved as the tiles would be. The light and the colours of a
 * resting mosaic change slowly, so a tile a few frames old looks the same. While the mosaic
 * fractures or glitches, and at full detail, the tiles are drawn as geometry every frame.
 */
export class MosaicImpostor {
  readonly mesh: Mesh;
  private material: ImpostorMaterial;
  /** The flat shapes' material (a quad). */
  private readonly plain: ImpostorMaterial;
  private readonly quad: PlaneGeometry;
  /** The shape the mesh and the picture are for (an index into MOSAIC_SHAPES). */
  private shape = 0;
  private aspect = 0;
  /** Per shape: its material and mesh (made when first shown, kept). */
  private readonly surfaces = new Map<number, { material: ImpostorMaterial; geometry: PlaneGeometry }>();
  private readonly camera = new OrthographicCamera(-1, 1, 1, -1, 0.1, 10);
  private readonly drawer = new Mesh();
  private target: WebGLRenderTarget | null = null;
  /** The geometry the picture holds (a new layout, or a restored context, brings a new one). */
  private source: BufferGeometry | null = null;
  private slice = 0;

  constructor() {
    this.material = this.makeMaterial(null);
    this.plain = this.material;
    this.quad = new PlaneGeometry(2, 2);
    this.mesh = new Mesh(this.quad, this.material);
    this.mesh.name = 'DreamMosaicImpostor';
    this.mesh.frustumCulled = false;
    this.mesh.visible = false;
    this.camera.position.set(0, 0, 5);
    this.camera.updateMatrixWorld();
    this.drawer.frustumCulled = false;
  }

  private makeMaterial(shape: number | null): ImpostorMaterial {
    return new DreamShaderMaterial({
      name: 'DreamMosaicImpostor',
      vertexShader: impostorVert,
      fragmentShader: impostorFrag,
      side: DoubleSide,
      ...(shape === null ? {} : { defines: { ...shapeDefines(shape, shape), MOSAIC_SURFACE: 1 } }),
      uniforms: { uPicture: new Uniform<Texture | null>(null), uAspect: new Uniform(1.55), uReach: new Uniform(new Vector2(1, 1)) },
    });
  }

  /**
   * Lay the picture on `shape` (an index into MOSAIC_SHAPES) for a window of `aspect`: a curved
   * shape's mesh is a grid put through the shape's surface map; the picture is redrawn whole.
   */
  setShape(shape: number, aspect: number): void {
    if (shape === this.shape && aspect === this.aspect) return;
    this.shape = shape;
    this.aspect = aspect;
    this.source = null;
    const grid = SURFACE_GRID[shape] ?? null;
    let surface = grid ? this.surfaces.get(shape) : undefined;
    if (grid && !surface) {
      surface = { material: this.makeMaterial(shape), geometry: new PlaneGeometry(2, 2, grid[0], grid[1]) };
      this.surfaces.set(shape, surface);
    }
    const picture = this.material.uniforms.uPicture.value;
    this.material = surface?.material ?? this.plain;
    this.material.uniforms.uPicture.value = picture;
    this.material.uniforms.uAspect.value = aspect;
    this.mesh.material = this.material;
    this.mesh.geometry = surface?.geometry ?? this.quad;
    // The next update sets the mesh's scale and reach for this shape.
    this.camera.right = 0;
  }

  /** The picture needs every tile redrawn before it is shown next (it went stale meanwhile). */
  invalidate(): void {
    this.source = null;
  }

  /** How many frames this geometry's tiles take to be all redrawn, a slice a frame. */
  slices(geometry: BufferGeometry): number {
    return slicesFor((geometry.index?.count ?? 0) / 3);
  }

  /**
   * Redraw a slice of the tiles (or all of them, when the picture is new or stale) with `material`
   * into a picture of `pixelsPerUnit` pixels per mosaic unit (what the tiles take on screen, so the
   * grout's width, which follows the pixels, is what the geometry would draw). `reach`: how far the
   * tiles reach from the centre in mosaic units (rim tiles stand a little past the window).
   */
  update(renderer: WebGLRenderer, geometry: BufferGeometry, material: Material, pixelsPerUnit: number, reach: { x: number; y: number }): void {
    let whole = this.source !== geometry;
    const ex = reach.x * 1.01;
    const ey = reach.y * 1.01;
    if (this.camera.right !== ex || this.camera.top !== ey) {
      this.camera.left = -ex;
      this.camera.right = ex;
      this.camera.top = ey;
      this.camera.bottom = -ey;
      this.camera.updateProjectionMatrix();
      // A curved shape's grid spans ±reach itself (its surface map needs mosaic units).
      const curved = SURFACE_GRID[this.shape] ?? null;
      this.mesh.scale.set(curved ? 1 : ex, curved ? 1 : ey, 1);
      this.material.uniforms.uReach.value.set(ex, ey);
      whole = true;
    }
    const h = Math.max(64, Math.min(2048, Math.round(2 * ey * pixelsPerUnit)));
    const w = Math.max(64, Math.min(4096, Math.round((h * ex) / ey)));
    if (!this.target || Math.abs(this.target.height - h) > 0.1 * this.target.height || Math.abs(this.target.width - w) > 0.1 * this.target.width) {
      this.target?.dispose();
      this.target = new WebGLRenderTarget(w, h, { minFilter: LinearFilter, magFilter: LinearFilter, depthBuffer: false, generateMipmaps: false });
      this.material.uniforms.uPicture.value = this.target.texture;
      whole = true;
    }
    const previous = renderer.getRenderTarget();
    const alpha = renderer.getClearAlpha();
    const autoClear = renderer.autoClear;
    renderer.autoClear = false;
    // The geometry's own draw range, put back after (read into locals: this runs every frame).
    const rangeStart = geometry.drawRange.start;
    const rangeCount = geometry.drawRange.count;
    this.drawer.geometry = geometry;
    this.drawer.material = material;
    renderer.setRenderTarget(this.target);
    if (whole) {
      // Transparent black: the quad's shader divides a filtered read by its alpha.
      renderer.getClearColor(clearColour);
      renderer.setClearColor(0x000000, 0);
      renderer.clear(true, false, false);
      renderer.setClearColor(clearColour, alpha);
      geometry.setDrawRange(0, Infinity);
      this.slice = 0;
    } else {
      // Slices of whole triangles; the last takes what is left.
      const triangles = (geometry.index?.count ?? 0) / 3;
      const slices = slicesFor(triangles);
      this.slice %= slices;
      const per = 3 * Math.ceil(triangles / slices);
      geometry.setDrawRange(this.slice * per, this.slice === slices - 1 ? Infinity : per);
      this.slice = (this.slice + 1) % slices;
    }
    renderer.render(this.drawer, this.camera);
    geometry.setDrawRange(rangeStart, rangeCount);
    renderer.setRenderTarget(previous);
    renderer.autoClear = autoClear;
    this.source = geometry;
  }

  /** Back at full detail: let the picture's GPU memory go (it is made again if needed). */
  release(): void {
    if (!this.target) return;
    this.target.dispose();
    this.target = null;
    this.material.uniforms.uPicture.value = null;
    this.source = null;
  }

  dispose(): void {
    this.release();
    this.quad.dispose();
    this.plain.dispose();
    for (const s of this.surfaces.values()) {
      s.material.dispose();
      s.geometry.dispose();
    }
    this.surfaces.clear();
  }
}
