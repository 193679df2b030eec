// Standalone start: Module Federation needs an async boundary before the shared modules.
import("./bootstrap");
