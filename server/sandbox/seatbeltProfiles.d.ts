// The Seatbelt profile fragments are data files imported as text: `?raw` for Vite/vitest, the
// `with { type: "text" }` attribute for esbuild (see seatbelt.ts).
declare module "*.sbpl?raw" {
  const text: string;
  export default text;
}
