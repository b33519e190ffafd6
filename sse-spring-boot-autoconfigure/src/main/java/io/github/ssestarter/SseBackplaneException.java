package io.github.ssestarter;

/**
 * Thrown when a backplane cannot be reached or does not accept an event: the event was not
 * published, and the caller may retry.
 */
public class SseBackplaneException extends RuntimeException {

	/**
	 * Creates the exception.
	 * @param message what failed
	 * @param cause why
	 */
	public SseBackplaneException(String message, Throwable cause) {
		super(message, cause);
	}

}
