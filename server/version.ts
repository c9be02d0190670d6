// Versions that reach the wire. REFERENCE_VERSION leads the initialize userAgent because real clients
// parse the first x.y.z in it as the server's codex version and refuse older servers;
// Gatehouse's own version follows later in the string. A test keeps GATEHOUSE_VERSION equal to package.json.
export const REFERENCE_VERSION = "0.169.0";
export const GATEHOUSE_VERSION = "0.1.0";
