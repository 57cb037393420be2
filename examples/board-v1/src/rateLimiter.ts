// task-3 (in progress): a token-bucket rate limiter for the public API.
export function allowRequest(tokens: number): boolean {
  return tokens > 0;
}
