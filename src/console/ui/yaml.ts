// The YAML printer, bundled on its own (dist/console/yaml.js) and loaded when an object is first shown.
export { stringify } from 'yaml';
