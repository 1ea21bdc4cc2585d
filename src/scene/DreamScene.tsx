/** Placeholder: the scene issue replaces this with the r3f scene graph. */
export const DreamScene = ({ audience }: { audience: boolean }) => <div className="scene-placeholder" data-audience={audience} />;
