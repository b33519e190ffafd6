package io.github.ssestarter.sample;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;

import org.springframework.stereotype.Component;

/**
 * Stands in for a language model: answers a question with made-up words, one token about every
 * 50 ms. The words depend on the question only, so the same question always gets the same text;
 * each answer gets its own id.
 */
@Component
class AnswerGenerator {

	static final Duration TOKEN_PAUSE = Duration.ofMillis(50);

	private static final List<String> WORDS = List.of("events", "stream", "server", "client", "browser",
			"reconnects", "quietly", "after", "every", "dropped", "connection", "with", "the", "last", "id",
			"it", "saw", "and", "nothing", "is", "lost", "or", "repeated", "because", "buffer", "keeps",
			"recent", "tokens", "while", "source", "runs", "on", "for", "a", "short", "window", "then",
			"answer", "completes", "once", "heartbeat", "wakes", "proxies", "awake", "so", "each", "word",
			"arrives", "in", "order", "as", "soon", "written", "flushed", "resumes", "where", "left", "off",
			"simply", "happily", "live", "again", "exactly", "now");

	private final AtomicLong started = new AtomicLong();

	/**
	 * An answer to the question, started anew for each subscriber: it gets a new id and counts as
	 * one more answer {@link #started()}. Its tokens are {@link #texts(String)}, one
	 * {@link #TOKEN_PAUSE} apart, and then it is done.
	 * @param question the question, not empty
	 * @return the answer's events, tokens first and {@link AnswerEvent.Done} last
	 */
	Flux<AnswerEvent> answer(String question) {
		List<String> texts = texts(question);
		return Flux.defer(() -> {
			this.started.incrementAndGet();
			String answerId = UUID.randomUUID().toString();
			// delayElements waits for demand, so a slow reader slows the answer down instead of overflowing.
			return Flux.range(0, texts.size())
				.delayElements(TOKEN_PAUSE)
				.<AnswerEvent>map((index) -> new AnswerEvent.Token(answerId, index, texts.get(index)))
				.concatWith(Flux.just(new AnswerEvent.Done(answerId, texts.size())));
		});
	}

	/**
	 * The texts of the tokens that answer a question, each a word and a space: {@code 40} of them
	 * plus the question's length modulo {@code 20}, in sentences of ten words (the last word of
	 * each has a full stop before its space).
	 * @param question the question
	 * @return the texts, always the same for the same question
	 */
	static List<String> texts(String question) {
		int count = 40 + question.length() % 20;
		List<String> texts = new ArrayList<>(count);
		int previous = -1;
		for (int index = 0; index < count; index++) {
			int pick = Math.floorMod(mix(question.hashCode(), index), WORDS.size());
			// No word twice in a row: it reads like a stutter.
			pick = (pick != previous) ? pick : (pick + 1) % WORDS.size();
			previous = pick;
			String word = WORDS.get(pick);
			if (index % 10 == 0) {
				word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
			}
			boolean endOfSentence = index % 10 == 9 || index == count - 1;
			texts.add(endOfSentence ? word + ". " : word + " ");
		}
		return texts;
	}

	/**
	 * How many answers have been started since the application started.
	 * @return the count
	 */
	long started() {
		return this.started.get();
	}

	// Spreads neighbouring seeds and indexes over the words (SplitMix64's finaliser).
	private static long mix(int seed, int index) {
		long value = seed * 0x9E3779B97F4A7C15L + index;
		value = (value ^ (value >>> 30)) * 0xBF58476D1CE4E5B9L;
		value = (value ^ (value >>> 27)) * 0x94D049BB133111EBL;
		return value ^ (value >>> 31);
	}

}
