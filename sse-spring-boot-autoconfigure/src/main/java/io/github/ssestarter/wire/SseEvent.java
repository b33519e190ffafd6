package io.github.ssestarter.wire;

import java.util.Objects;

/**
 * An event as a client dispatches it, after the fields of one block of the stream have been
 * interpreted.
 *
 * @param eventType the event type, {@code "message"} when the stream named none or an empty one
 * @param data the data lines joined with LF, without a trailing LF; may be empty
 * @param lastEventId the last event id at the time of the event, which a reconnecting client sends
 * back as {@code Last-Event-ID}; empty when no id has been set
 */
public record SseEvent(String eventType, String data, String lastEventId) {

	/**
	 * Creates an event, refusing {@code null} components.
	 * @param eventType the event type
	 * @param data the data
	 * @param lastEventId the last event id
	 */
	public SseEvent {
		Objects.requireNonNull(eventType, "eventType must not be null");
		Objects.requireNonNull(data, "data must not be null");
		Objects.requireNonNull(lastEventId, "lastEventId must not be null");
	}

	/**
	 * A one-line description for logs and assertion messages, with control characters in the
	 * values escaped so that multi-line data stays readable.
	 * @return the description
	 */
	@Override
	public String toString() {
		return "SseEvent{eventType=" + quote(this.eventType) + ", data=" + quote(this.data) + ", lastEventId="
				+ quote(this.lastEventId) + "}";
	}

	private static String quote(String value) {
		StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\\' -> quoted.append("\\\\");
				case '"' -> quoted.append("\\\"");
				case '\n' -> quoted.append("\\n");
				case '\r' -> quoted.append("\\r");
				default -> {
					if (Character.isISOControl(c)) {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

}
