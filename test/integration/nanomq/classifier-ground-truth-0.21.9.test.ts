import { groundTruthSuite } from "./classifier-ground-truth.js";

groundTruthSuite("0.21.9");
