// Every test worker loads the module list first, as the app and the CLI do: it subscribes every
// module to the events it reacts to and seals the event bus.
import "../modules/index.js";
