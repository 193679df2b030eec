// Standalone start (npm run dev): Module Federation needs an async boundary first.
import("./bootstrap");
