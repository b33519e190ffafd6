package io.github.ssestarter.sample;

/**
 * What an answer is streamed as: its tokens in order, then one {@link Done}.
 */
public sealed interface AnswerEvent {

	/**
	 * The answer's id, the same in each of its events.
	 * @return the id
	 */
	String answerId();

	/**
	 * One token of an answer, the data of each {@code token} event.
	 *
	 * @param answerId the answer's id
	 * @param index its position in the answer, from 0
	 * @param text its text, a word and the space after it
	 */
	record Token(String answerId, int index, String text) implements AnswerEvent {
	}

	/**
	 * The end of an answer, the data of its last event, {@code done}.
	 *
	 * @param answerId the answer's id
	 * @param tokens how many tokens it had
	 */
	record Done(String answerId, int tokens) implements AnswerEvent {
	}

}
