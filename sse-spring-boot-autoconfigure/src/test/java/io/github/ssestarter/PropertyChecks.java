package io.github.ssestarter;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A small harness for property-based tests on JUnit Jupiter: checks a property on many generated
 * inputs and, when one fails, shrinks it to a smaller input that still fails and reports that one
 * with the seed that reproduces the whole run.
 *
 * <p>Every run starts from a new seed, so that the suite searches a little further each time it
 * runs. {@code -Dsse.properties.seed=<seed>} replays a reported run exactly, and
 * {@code -Dsse.properties.tries-factor=<n>} multiplies every property's tries, for a longer search
 * by hand.
 */
public final class PropertyChecks {

	/** Most inputs tried while shrinking one failure. */
	private static final int MAX_SHRINK_ATTEMPTS = 3000;

	private PropertyChecks() {
	}

	/**
	 * Checks a property on generated inputs.
	 * @param tries how many inputs to try (multiplied by {@code sse.properties.tries-factor})
	 * @param generator makes one input from a random source
	 * @param shrinker proposes smaller inputs in place of a failing one
	 * @param property throws (an {@link AssertionError}, say) when the input falsifies it
	 * @param <T> the type of the inputs
	 * @throws AssertionError naming the seed and the smallest failing input found
	 */
	public static <T> void forAll(int tries, Function<SplittableRandom, T> generator, Shrinker<T> shrinker,
			Consumer<T> property) {
		long seed = Long.getLong("sse.properties.seed", ThreadLocalRandom.current().nextLong());
		int total = tries * Integer.getInteger("sse.properties.tries-factor", 1);
		SplittableRandom random = new SplittableRandom(seed);
		for (int i = 1; i <= total; i++) {
			T input = generator.apply(random.split());
			Throwable failure = failure(property, input);
			if (failure != null) {
				throw falsified(seed, i, total, input, failure, shrinker, property);
			}
		}
	}

	/**
	 * Checks a property on generated inputs that are not worth shrinking.
	 * @param tries how many inputs to try
	 * @param generator makes one input from a random source
	 * @param property throws when the input falsifies it
	 * @param <T> the type of the inputs
	 */
	public static <T> void forAll(int tries, Function<SplittableRandom, T> generator, Consumer<T> property) {
		forAll(tries, generator, Shrinker.none(), property);
	}

	private static <T> AssertionError falsified(long seed, int attempt, int total, T input, Throwable failure,
			Shrinker<T> shrinker, Consumer<T> property) {
		T smallest = input;
		Throwable smallestFailure = failure;
		int steps = 0;
		int attempts = 0;
		boolean shrunk = true;
		while (shrunk && attempts < MAX_SHRINK_ATTEMPTS) {
			shrunk = false;
			for (T candidate : (Iterable<T>) shrinker.candidates(smallest)::iterator) {
				if (++attempts > MAX_SHRINK_ATTEMPTS) {
					break;
				}
				Throwable candidateFailure = failure(property, candidate);
				if (candidateFailure != null) {
					smallest = candidate;
					smallestFailure = candidateFailure;
					steps++;
					shrunk = true;
					break;
				}
			}
		}
		AssertionError error = new AssertionError("Property falsified on try " + attempt + " of " + total + " (seed "
				+ seed + "; replay with -Dsse.properties.seed=" + seed + ")\nSmallest failing input, after " + steps
				+ " shrinking steps:\n" + describe(smallest) + "\nFailure: " + printable(String.valueOf(smallestFailure)),
				smallestFailure);
		if (smallestFailure != failure) {
			error.addSuppressed(failure);
		}
		return error;
	}

	private static <T> Throwable failure(Consumer<T> property, T input) {
		try {
			property.accept(input);
			return null;
		}
		catch (AssertionError | RuntimeException ex) {
			return ex;
		}
	}

	/**
	 * Describes an input for a failure message: strings quoted, lists element by element, anything
	 * else as its {@code toString} with control characters escaped.
	 * @param input the input
	 * @return the description
	 */
	public static String describe(Object input) {
		if (input instanceof String text) {
			return quote(text);
		}
		if (input instanceof List<?> list) {
			return list.stream().map(PropertyChecks::describe).collect(Collectors.joining(", ", "[", "]"));
		}
		return printable(String.valueOf(input));
	}

	/** Escapes control characters other than line breaks and tabs, which reports may not hold. */
	private static String printable(String text) {
		StringBuilder printable = new StringBuilder(text.length());
		text.chars().forEach((c) -> {
			if (c < 0x20 && c != '\n' && c != '\t') {
				printable.append(String.format("\\u%04x", c));
			}
			else {
				printable.append((char) c);
			}
		});
		return printable.toString();
	}

	/**
	 * Quotes a string for a failure message, escaping line breaks, control characters and
	 * everything outside printable ASCII so that the exact input can be read back.
	 * @param value the string, or {@code null}
	 * @return the quoted string
	 */
	public static String quote(String value) {
		if (value == null) {
			return "null";
		}
		StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
		int shown = Math.min(value.length(), 400);
		for (int i = 0; i < shown; i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\r' -> quoted.append("\\r");
				case '\n' -> quoted.append("\\n");
				case '\\' -> quoted.append("\\\\");
				case '"' -> quoted.append("\\\"");
				default -> {
					if (c < 0x20 || c > 0x7e) {
						quoted.append(String.format("\\u%04x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		if (shown < value.length()) {
			quoted.append("...(").append(value.length()).append(" chars)");
		}
		return quoted.append('"').toString();
	}

	/**
	 * Proposes smaller inputs in place of a failing one, most promising first.
	 *
	 * @param <T> the type of the inputs
	 */
	@FunctionalInterface
	public interface Shrinker<T> {

		/**
		 * Smaller inputs to try instead.
		 * @param input a failing input
		 * @return the candidates, lazily
		 */
		Stream<T> candidates(T input);

		/**
		 * A shrinker that proposes nothing.
		 * @param <T> the type of the inputs
		 * @return the shrinker
		 */
		static <T> Shrinker<T> none() {
			return (input) -> Stream.empty();
		}

		/**
		 * Shrinks a list by dropping runs of elements (halves, then quarters, down to single
		 * elements), then by shrinking single elements.
		 * @param elements shrinks one element
		 * @param <E> the type of the elements
		 * @return the shrinker
		 */
		static <E> Shrinker<List<E>> list(Shrinker<E> elements) {
			return (list) -> {
				Stream<List<E>> removals = Stream.iterate(Math.max(1, list.size() / 2), (size) -> size >= 1,
						(size) -> (size == 1) ? 0 : size / 2)
					.flatMap((size) -> IntStream.iterate(0, (from) -> from < list.size(), (from) -> from + size)
						.mapToObj((from) -> without(list, from, Math.min(list.size(), from + size))));
				Stream<List<E>> smallerElements = IntStream.range(0, list.size())
					.boxed()
					.flatMap((index) -> elements.candidates(list.get(index)).map((element) -> {
						List<E> copy = new ArrayList<>(list);
						copy.set(index, element);
						return copy;
					}));
				return Stream.concat(removals, smallerElements);
			};
		}

		/**
		 * Shrinks a string by dropping runs of characters, never splitting a surrogate pair.
		 * @return the shrinker
		 */
		static Shrinker<String> string() {
			return (text) -> {
				int[] codePoints = text.codePoints().toArray();
				List<Integer> asList = IntStream.of(codePoints).boxed().toList();
				return list(Shrinker.<Integer>none()).candidates(asList)
					.map((shorter) -> new String(shorter.stream().mapToInt(Integer::intValue).toArray(), 0,
							shorter.size()));
			};
		}

		private static <E> List<E> without(List<E> list, int from, int to) {
			List<E> copy = new ArrayList<>(list.subList(0, from));
			copy.addAll(list.subList(to, list.size()));
			return copy;
		}

	}

}
