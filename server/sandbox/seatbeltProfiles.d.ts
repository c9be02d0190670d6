// The Seatbelt profile fragments are data files imported as text (`?raw`): Vite/vitest load them
// natively, and scripts/build.mjs inlines them into the bundle with esbuild's text loader.
declare module "*.sbpl?raw" {
  const text: string;
  export default text;
}
