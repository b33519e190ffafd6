package io.github.ssestarter;

/**
 * Turns the data of an item that is not a {@link String} into the text of its {@code data} lines.
 *
 * <p>The starter registers one backed by the application's JSON mapper, so Jackson customisations
 * apply; define a bean of this type to use another format. Implementations must be thread-safe.
 * The result may contain line breaks; each line becomes its own {@code data:} line.
 */
@FunctionalInterface
public interface SseDataEncoder {

	/**
	 * Encodes one item's data.
	 * @param data the data, never {@code null} and never a {@link String}
	 * @return its text
	 * @throws IllegalArgumentException if the data cannot be encoded
	 */
	String encode(Object data);

}
