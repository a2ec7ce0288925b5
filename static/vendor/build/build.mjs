// Builds static/vendor/codemirror-<version>/ (run by `make vendor` from a copy of this folder
// whose node_modules was installed with `npm ci`): one minified script, and the licence of every
// package that went into it. <version> is @codemirror/view's, the core of the bundle.
import { build } from "esbuild";
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

const [repository] = process.argv.slice(2);
const version = JSON.parse(readFileSync("package.json", "utf8")).dependencies["@codemirror/view"];
const vendor = join(repository, "static", "vendor");
const out = join(vendor, `codemirror-${version}`);
for (const old of readdirSync(vendor).filter((name) => name.startsWith("codemirror-"))) {
  rmSync(join(vendor, old), { recursive: true });
}
mkdirSync(join(out, "licenses"), { recursive: true });

// style-mod (CodeMirror's styles) writes a <style> element into a document, which the site's CSP
// (style-src 'self') refuses; a constructed stylesheet (adoptedStyleSheets) is CSSOM, which CSP
// allows, and style-mod already uses one inside shadow roots: use it for documents too.
const STYLE_MOD_TEST = "if (!root.head && root.adoptedStyleSheets && win.CSSStyleSheet) {";
const constructedStyles = {
  name: "constructed-styles",
  setup(builder) {
    builder.onLoad({ filter: /style-mod[\\/]src[\\/]style-mod\.js$/ }, (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes(STYLE_MOD_TEST)) throw new Error("style-mod changed: review the CSP patch");
      return { contents: source.replace(STYLE_MOD_TEST, "if (root.adoptedStyleSheets && win.CSSStyleSheet) {"), loader: "js" };
    });
  },
};

const result = await build({
  plugins: [constructedStyles],
  entryPoints: ["codemirror.js"],
  bundle: true,
  minify: true,
  format: "iife",
  globalName: "CamplogCM",
  target: "es2019",
  legalComments: "none",
  metafile: true,
  outfile: join(out, "codemirror.min.js"),
});

const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)\//);
  if (match) packages.add(match[1]);
}
for (const name of [...packages].sort()) {
  const folder = join("node_modules", name);
  const licence = readdirSync(folder).find((file) => /^(licen[cs]e|copying)/i.test(file));
  if (!licence) throw new Error(`${name} has no licence file`);
  const { version: packageVersion } = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  copyFileSync(join(folder, licence), join(out, "licenses", `${name.replace("/", "__")}-${packageVersion}.txt`));
}
console.log(`${out}/codemirror.min.js: ${packages.size} packages`);
if (!existsSync(join(out, "codemirror.min.js"))) process.exit(1);
