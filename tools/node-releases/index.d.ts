/** The Node 22 and 24 LTS releases the tests run on besides the Node that runs them. */
export declare const NODE_22: string;
export declare const NODE_24: string;
/** `node --version` of a binary without the `v` (e.g. `22.23.3`), or `undefined` when it does not run. */
export declare function versionOf(binary: string): string | undefined;
/**
 * The path of the Node `version` binary: `COMPAT_NODE_<major>` when set, else the `node-linux-<arch>` package
 * of the npm registry, installed into this folder's `.cache/node-<version>` the first time (safe when several
 * processes ask at once). Throws, saying what to set, where the registry has no binary for this platform.
 */
export declare function nodeBinary(version: string): string;
