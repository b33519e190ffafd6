package io.github.ssestarter.internal.wire;

import io.github.ssestarter.SseDataEncoder;
import io.github.ssestarter.SseItem;

/**
 * Encodes items of any data type to frames: {@link String} data is written as is, other data goes
 * through the {@link SseDataEncoder} first, then {@link SseFormatter} frames it. Thread-safe if the
 * data encoder is.
 */
public final class SseFrameEncoder {

	private final SseDataEncoder dataEncoder;

	/**
	 * Creates an encoder.
	 * @param dataEncoder encodes data that is not a {@link String}
	 */
	public SseFrameEncoder(SseDataEncoder dataEncoder) {
		this.dataEncoder = dataEncoder;
	}

	/**
	 * Encodes one item to the exact bytes of its frame.
	 * @param item the item
	 * @return the frame, ending with the blank line that dispatches it
	 * @throws IllegalArgumentException if the data encoder refuses the data
	 */
	public byte[] encode(SseItem<?> item) {
		return SseFormatter.format(item.withData(encodeData(item.data())));
	}

	/**
	 * Encodes data alone to the text of its {@code data} lines.
	 * @param data the data, or {@code null}
	 * @return the text, or {@code null} for no data
	 */
	public String encodeData(Object data) {
		if (data == null || data instanceof String) {
			return (String) data;
		}
		return this.dataEncoder.encode(data);
	}

}
