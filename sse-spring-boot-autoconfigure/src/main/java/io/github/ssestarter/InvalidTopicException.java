package io.github.ssestarter;

/**
 * Thrown for a topic name that is not 1 to 200 characters of letters, digits and
 * {@code . _ - : /}. When it escapes a controller method, the web integration answers
 * {@code 400 Bad Request}, since such names usually come from the request.
 */
public class InvalidTopicException extends IllegalArgumentException {

	/**
	 * Creates the exception.
	 * @param topic the refused name
	 */
	public InvalidTopicException(String topic) {
		super("topic '" + topic + "' is not 1 to 200 characters of letters, digits and . _ - : /");
	}

}
