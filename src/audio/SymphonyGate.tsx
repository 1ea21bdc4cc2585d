/** Placeholder: the symphony issue replaces this with the "enter the dream" gesture and audio notices. */
export const SymphonyGate = () => null;
