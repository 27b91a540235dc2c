import { describe, expect, it } from "vitest";
import { isValidFilter, topicMatches } from "../../../src/broker/topic-filter.js";

describe("topicMatches", () => {
  it.each([
    ["a/b", "a/b", true],
    ["a/+", "a/b", true],
    ["a/+", "a/b/c", false],
    ["a/#", "a", true], // # includes the parent level [MQTT-4.7.1-2]
    ["a/#", "a/b/c", true],
    ["#", "a/b", true],
    ["+/+", "/x", true],
    ["+", "$SYS", false], // [MQTT-4.7.2-1]
    ["#", "$SYS/x", false],
    ["$SYS/#", "$SYS/x", true],
    ["a/b", "a/c", false],
  ])("%s matches %s: %s", (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected);
  });
});

describe("isValidFilter", () => {
  it.each([
    ["a/#", true],
    ["a/#/b", false],
    ["a#", false],
    ["a/+/c", true],
    ["a+", false],
    ["", false],
  ])("%s: %s", (filter, expected) => {
    expect(isValidFilter(filter)).toBe(expected);
  });
});
