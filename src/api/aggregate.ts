// Go's utilerrors.Aggregate text, which many Kubernetes messages embed.

/** One message alone, several as "[a, b]"; a message seen before is dropped. */
export function aggregateText(messages: string[]): string {
  const unique = [...new Set(messages)];
  return unique.length === 1 ? unique[0]! : `[${unique.join(', ')}]`;
}
