/** The demo street (演示街道): generated deterministically, loaded by `gongzhi demo` and on first start. */
export { demoCityCode, demoStreetCode, readDemoDivisions, type DemoDivisions, type Division } from "./divisions.js";
export {
  defaultDemoSeed,
  demoCounts,
  demoLogins,
  demoPassword,
  demoReferenceYear,
  generateDemoStreet,
  type DemoCounts,
  type DemoLogin,
  type DemoStreet,
} from "./generate.js";
export { hasDemoStreet, loadDemoStreet, type LoadDemoOptions, type LoadDemoResult } from "./load.js";
