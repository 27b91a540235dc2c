import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** What `npm pack` would publish: only what runs mqdiag (the CI step in .ci/run runs the packed tarball). */
describe("the published package", () => {
  it("holds bin, the built src, the real clients' idle programs, README, LICENSE and package.json — no bench, fuzz or test builds", () => {
    const out = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
      encoding: "utf8",
    });
    const files: string[] = JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
    const tops = [
      ...new Set(files.map((f) => (f.startsWith("dist/") ? f.split("/").slice(0, 2).join("/") : f))),
    ];
    expect(tops.sort()).toEqual([
      "LICENSE",
      "README.md",
      "bin/mqdiag.js",
      "bin/package.json",
      // built on first use by `--client <library>` (src/clients/real)
      "clients/libmosquitto/idle.c",
      "clients/mqtt-c/idle.c",
      "clients/mqttjs-4/idle.cjs",
      "clients/paho-c/idle.c",
      "clients/paho-python/idle.py",
      "dist/src",
      "package.json",
    ]);
    expect(files).toContain("dist/src/index.js");
    expect(files).toContain("dist/src/index.d.ts");
    // what bin/mqdiag.js runs: the CLI bundle and its Node 20 loader (scripts/bundle-cli.mjs), and the link's relay
    // thread the bundle starts; no source maps, no V8 code cache (written on first use), no unbundled CLI
    expect(files).toContain("dist/src/cli-bundle/mqdiag.cjs");
    expect(files.some((f) => /^dist\/src\/cli-bundle\/program\.[\w-]+\.cjs$/.test(f))).toBe(true);
    expect(files).toContain("dist/src/cli/chunk-loader.cjs");
    expect(files).toContain("dist/src/link/relay-worker.js");
    expect(files.filter((f) => f.startsWith("dist/src/cli/"))).toEqual(["dist/src/cli/chunk-loader.cjs"]);
    expect(files.filter((f) => f.endsWith(".map") || f.endsWith(".v8-cache"))).toEqual([]);
    // modules only the CLI uses are in the bundle, not beside it: the CLI's table reports
    expect(files.filter((f) => /^dist\/src\/report\/.*table\.js$/.test(f))).toEqual([]);
  });

  it("depends at run time only on what the bundle leaves out (MQTT.js and its packet and WebSocket libraries)", () => {
    // commander, chalk and cli-table3 are bundled into the CLI (scripts/bundle-cli.mjs): dev dependencies
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(Object.keys(pkg.dependencies).sort()).toEqual(["mqtt", "mqtt-packet", "ws"]);
  });

  it("has an exports map to the API and its types", () => {
    const pkg = JSON.parse(readFileSync("package.json", "utf8"));
    expect(pkg.exports).toEqual({
      ".": { types: "./dist/src/index.d.ts", default: "./dist/src/index.js" },
      "./package.json": "./package.json",
    });
  });
});
