/** The seeded PRNG lives in src (the fuzz campaign, the link and the fleet share it). */
export { pick, prng, type Rand, randInt } from "../src/core/prng.js";
