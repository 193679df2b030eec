// Standalone start (rspack serve): Module Federation needs an async boundary first.
import("./bootstrap");
