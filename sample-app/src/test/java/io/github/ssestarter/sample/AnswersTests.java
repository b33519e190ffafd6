package io.github.ssestarter.sample;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.ssestarter.sample.SampleClient.EventStream;
import io.github.ssestarter.wire.SseEvent;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;

import static io.github.ssestarter.sample.SampleClient.ALICE;
import static io.github.ssestarter.sample.SampleClient.BOB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The assistant over real HTTP: an answer is a resumable stream of {@code token} events and one
 * {@code done}; a client that drops and comes back with its last event id gets the rest of the same
 * answer, generated once, and only the user who asked may do that.
 */
class AnswersTests extends AbstractSampleTests {

	/** 19 characters: an answer of 59 tokens, about three seconds. */
	private static final String QUESTION = "Why do streams end?";

	private static final int TOKENS = 40 + QUESTION.length() % 20;

	private static final int CLIENTS = 200;

	@Autowired
	AnswerGenerator generator;

	@Test
	void answerIsTokenEventsWithConsecutiveIndexesThenOneDoneEventThenTheEnd() {
		List<String> expected = AnswerGenerator.texts(QUESTION);
		try (EventStream stream = this.client.stream(path(QUESTION))) {
			assertThat(stream.status()).isEqualTo(200);
			assertThat(stream.header("Content-Type")).startsWith("text/event-stream");
			List<JsonNode> tokens = new ArrayList<>();
			for (int index = 0; index < expected.size(); index++) {
				SseEvent event = stream.next();
				assertThat(event.eventType()).isEqualTo("token");
				assertThat(event.lastEventId()).isNotEmpty();
				tokens.add(this.client.json(event));
			}
			String answerId = tokens.get(0).get("answerId").asString();
			assertThat(UUID.fromString(answerId)).hasToString(answerId);
			assertThat(tokens).allSatisfy((token) -> {
				assertThat(token.propertyNames()).containsExactlyInAnyOrder("answerId", "index", "text");
				assertThat(token.get("answerId").asString()).isEqualTo(answerId);
				assertThat(token.get("text").asString()).matches("\\S+ ");
			});
			assertThat(tokens).extracting((token) -> token.get("index").asInt())
				.containsExactlyElementsOf(indexes(TOKENS));
			assertThat(tokens).extracting((token) -> token.get("text").asString())
				.containsExactlyElementsOf(expected);

			SseEvent done = stream.next();
			assertThat(done.eventType()).isEqualTo("done");
			JsonNode data = this.client.json(done);
			assertThat(data.propertyNames()).containsExactlyInAnyOrder("answerId", "tokens");
			assertThat(data.get("answerId").asString()).isEqualTo(answerId);
			assertThat(data.get("tokens").asInt()).isEqualTo(TOKENS);
			assertThat(stream.next()).as("the end of the stream").isNull();
		}
	}

	@Test
	void answerHasFortyTokensPlusTheQuestionLengthModuloTwenty() {
		int[] lengths = { 1, 19, 20, 39, 500 };
		List<EventStream> streams = new ArrayList<>();
		try {
			// All at once, then read one after the other.
			for (int length : lengths) {
				streams.add(this.client.stream(path("q".repeat(length))));
			}
			for (int i = 0; i < lengths.length; i++) {
				Answer answer = readAnswer(streams.get(i));
				assertThat(answer.texts()).as("tokens for %d characters", lengths[i]).hasSize(40 + lengths[i] % 20);
				assertThat(answer.doneTokens()).isEqualTo(40 + lengths[i] % 20);
			}
		}
		finally {
			streams.forEach(EventStream::close);
		}
	}

	@Test
	void sameQuestionGetsTheSameTextsInANewAnswerAndAnotherQuestionOtherTexts() {
		// Read one after the other while all three stream at once.
		try (EventStream first = this.client.stream(path(QUESTION));
				EventStream second = this.client.stream(path(QUESTION));
				EventStream other = this.client.stream(path("What is a heartbeat?"))) {
			Answer one = readAnswer(first);
			Answer two = readAnswer(second);
			Answer three = readAnswer(other);
			assertThat(two.texts()).isEqualTo(one.texts());
			assertThat(two.answerId()).isNotEqualTo(one.answerId());
			assertThat(three.texts()).isNotEqualTo(one.texts());
		}
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 501 })
	void questionOfNoneOrMoreThan500CharactersIsRefusedWith400ProblemDetails(int length) {
		assertRefusedWithProblemDetails("?q=" + "x".repeat(length), "q size must be between 1 and 500");
	}

	@Test
	void requestWithoutAQuestionIsRefusedWith400ProblemDetails() {
		assertRefusedWithProblemDetails("", "Required parameter 'q' is not present.");
	}

	private void assertRefusedWithProblemDetails(String query, String detail) {
		long started = this.generator.started();
		HttpResponse<String> refused = this.client.get("/api/answers/stream" + query, "Accept",
				"text/event-stream");
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = this.client.json(refused);
		assertThat(problem.get("status").asInt()).isEqualTo(400);
		assertThat(problem.get("detail").asString()).isEqualTo(detail);
		assertThat(this.generator.started()).as("answers generated").isEqualTo(started);
	}

	@Test
	void resumingWithLastEventIdHeaderContinuesTheSameAnswerAtTheNextIndex() {
		resumesAfterFiveTokens((lastEventId) -> this.client.stream(path(QUESTION), "Last-Event-ID", lastEventId));
	}

	@Test
	void resumingWithLastEventIdQueryParameterContinuesTheSameAnswerAtTheNextIndex() {
		resumesAfterFiveTokens((lastEventId) -> this.client
			.stream(path(QUESTION) + "&lastEventId=" + URLEncoder.encode(lastEventId, StandardCharsets.UTF_8)));
	}

	private void resumesAfterFiveTokens(Resume resume) {
		long started = this.generator.started();
		List<JsonNode> tokens = new ArrayList<>();
		String lastEventId;
		try (EventStream stream = this.client.stream(path(QUESTION))) {
			SseEvent event = null;
			for (int i = 0; i < 5; i++) {
				event = stream.next();
				tokens.add(this.client.json(event));
			}
			lastEventId = event.lastEventId();
		}
		String answerId = tokens.get(0).get("answerId").asString();
		try (EventStream resumed = resume.open(lastEventId)) {
			assertThat(resumed.status()).isEqualTo(200);
			Answer rest = readAnswer(resumed);
			assertThat(rest.answerId()).isEqualTo(answerId);
			assertThat(rest.indexes().get(0)).as("the first index after resuming").isEqualTo(5);
			tokens.forEach((token) -> assertThat(token.get("answerId").asString()).isEqualTo(answerId));
			List<Integer> all = new ArrayList<>(tokens.stream().map((token) -> token.get("index").asInt()).toList());
			all.addAll(rest.indexes());
			assertThat(all).containsExactlyElementsOf(indexes(TOKENS));
			assertThat(rest.doneTokens()).isEqualTo(TOKENS);
		}
		assertThat(this.generator.started()).as("answers generated").isEqualTo(started + 1);
	}

	@Test
	void freshAnswerFirstSendsAnIdOnlyEventWithWhichAClientResumesFromTheFirstToken() {
		HttpResponse<String> whole = this.client.get(path(QUESTION), "Accept", "text/event-stream");
		assertThat(whole.statusCode()).isEqualTo(200);
		String firstFrame = whole.body().substring(0, whole.body().indexOf("\n\n"));
		assertThat(firstFrame).as("the first frame").startsWith("id: ").doesNotContain("\n");
		String idOnly = firstFrame.substring("id: ".length());

		try (EventStream resumed = this.client.stream(path(QUESTION), "Last-Event-ID", idOnly)) {
			Answer answer = readAnswer(resumed);
			assertThat(answer.indexes()).containsExactlyElementsOf(indexes(TOKENS));
			assertThat(whole.body()).contains("\"answerId\":\"" + answer.answerId() + "\"");
		}
	}

	@Test
	void reconnectingAfterTheDoneEventWasReceivedGets204() {
		String lastEventId;
		try (EventStream stream = this.client.stream(path(QUESTION))) {
			lastEventId = readAnswer(stream).lastEventId();
		}
		try (EventStream again = this.client.stream(path(QUESTION), "Last-Event-ID", lastEventId)) {
			assertThat(again.status()).isEqualTo(204);
		}
	}

	@Test
	void anotherUserResumingAnAnswerGetsANewAnswerAndNoneOfTheFirst() {
		long started = this.generator.started();
		Interrupted alices = startAndDrop("Authorization", ALICE);
		try (EventStream bob = this.client.stream(path(QUESTION), "Authorization", BOB, "Last-Event-ID",
				alices.lastEventId())) {
			assertThat(bob.status()).isEqualTo(200);
			Answer answer = readAnswer(bob);
			assertThat(answer.answerIds()).doesNotContain(alices.answerId()).hasSize(1);
			assertThat(answer.indexes()).containsExactlyElementsOf(indexes(TOKENS));
		}
		// Alice still may: Bob's attempt took nothing from her.
		try (EventStream alice = this.client.stream(path(QUESTION), "Authorization", ALICE, "Last-Event-ID",
				alices.lastEventId())) {
			Answer rest = readAnswer(alice);
			assertThat(rest.answerIds()).containsExactly(alices.answerId());
			assertThat(rest.indexes().get(0)).isEqualTo(3);
		}
		assertThat(this.generator.started()).as("answers generated").isEqualTo(started + 2);
	}

	@Test
	void anonymousClientResumingAUsersAnswerGetsANewAnswerAndNoneOfTheFirst() {
		Interrupted alices = startAndDrop("Authorization", ALICE);
		try (EventStream anonymous = this.client.stream(path(QUESTION), "Last-Event-ID", alices.lastEventId())) {
			assertThat(anonymous.status()).isEqualTo(200);
			Answer answer = readAnswer(anonymous);
			assertThat(answer.answerIds()).doesNotContain(alices.answerId()).hasSize(1);
			assertThat(answer.indexes()).containsExactlyElementsOf(indexes(TOKENS));
		}
	}

	@Test
	void twoHundredClientsDroppedThreeTimesEachReassembleTheirWholeAnswersExactlyOnce() throws Exception {
		long seed = System.nanoTime();
		long started = this.generator.started();
		List<Callable<Reassembled>> clients = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			// Questions of every length modulo 20, so answers of 40 to 59 tokens.
			String question = "Question " + i + " from the crowd" + "?".repeat(i % 20);
			Random random = new Random(seed + i);
			clients.add(() -> reassemble(question, random));
		}
		ExecutorService executor = Executors.newFixedThreadPool(CLIENTS);
		try {
			List<Future<Reassembled>> results = executor.invokeAll(clients, 45, TimeUnit.SECONDS);
			for (int i = 0; i < CLIENTS; i++) {
				String description = "client " + i + " of the run with seed " + seed;
				assertThat(results.get(i).isCancelled()).as(description + " finished in time").isFalse();
				Reassembled reassembled = resultOf(results.get(i));
				List<String> expected = AnswerGenerator.texts(reassembled.question());
				Answer answer = reassembled.answer();
				assertThat(answer.indexes()).as(description).containsExactlyElementsOf(indexes(expected.size()));
				assertThat(answer.texts()).as(description).containsExactlyElementsOf(expected);
				assertThat(answer.answerIds()).as(description).containsExactly(answer.answerId());
				assertThat(answer.doneTokens()).as(description).isEqualTo(expected.size());
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(this.generator.started()).as("answers generated").isEqualTo(started + CLIENTS);
	}

	/**
	 * Reads an answer over four connections: the first three are dropped after a random number of
	 * events (at least one each, the last at the latest just before done), each of the next resumes
	 * with the id of the last event read.
	 */
	private Reassembled reassemble(String question, Random random) {
		int tokens = 40 + question.length() % 20;
		SortedSet<Integer> drops = new TreeSet<>();
		while (drops.size() < 3) {
			drops.add(1 + random.nextInt(tokens));
		}
		List<JsonNode> received = new ArrayList<>();
		String lastEventId = null;
		for (int drop : drops) {
			try (EventStream stream = open(question, lastEventId)) {
				assertThat(stream.status()).isEqualTo(200);
				while (received.size() < drop) {
					SseEvent event = stream.next();
					assertThat(event).as("event after %d tokens", received.size()).isNotNull();
					assertThat(event.eventType()).isEqualTo("token");
					received.add(this.client.json(event));
					lastEventId = event.lastEventId();
				}
			}
		}
		try (EventStream stream = open(question, lastEventId)) {
			assertThat(stream.status()).isEqualTo(200);
			Answer rest = readAnswer(stream);
			received.addAll(rest.tokens());
			return new Reassembled(question, new Answer(received, rest.done(), rest.lastEventId()));
		}
	}

	private EventStream open(String question, @Nullable String lastEventId) {
		return (lastEventId != null) ? this.client.stream(path(question), "Last-Event-ID", lastEventId)
				: this.client.stream(path(question));
	}

	private static <T> T resultOf(Future<T> future) throws InterruptedException {
		try {
			return future.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof AssertionError failure) {
				throw failure;
			}
			throw new IllegalStateException(ex.getCause());
		}
	}

	/** Starts an answer, reads three tokens and drops the connection. */
	private Interrupted startAndDrop(String... headers) {
		try (EventStream stream = this.client.stream(path(QUESTION), headers)) {
			assertThat(stream.status()).isEqualTo(200);
			SseEvent event = null;
			for (int i = 0; i < 3; i++) {
				event = stream.next();
			}
			return new Interrupted(this.client.json(event).get("answerId").asString(), event.lastEventId());
		}
	}

	private Answer readAnswer(String question) {
		try (EventStream stream = this.client.stream(path(question))) {
			assertThat(stream.status()).isEqualTo(200);
			return readAnswer(stream);
		}
	}

	/** Reads a stream to its end: tokens, then done, then nothing. */
	private Answer readAnswer(EventStream stream) {
		List<JsonNode> tokens = new ArrayList<>();
		for (SseEvent event = stream.next(); event != null; event = stream.next()) {
			JsonNode data = this.client.json(event);
			if (event.eventType().equals("done")) {
				assertThat(stream.next()).as("the end of the stream after done").isNull();
				Answer answer = new Answer(tokens, data, event.lastEventId());
				assertThat(answer.answerIds()).as("the tokens' answer ids").isSubsetOf(answer.answerId());
				return answer;
			}
			assertThat(event.eventType()).isEqualTo("token");
			tokens.add(data);
		}
		throw new AssertionError("The stream ended without a done event after " + tokens.size() + " tokens");
	}

	static String path(String question) {
		return "/api/answers/stream?q=" + URLEncoder.encode(question, StandardCharsets.UTF_8);
	}

	private static List<Integer> indexes(int count) {
		List<Integer> indexes = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			indexes.add(i);
		}
		return indexes;
	}

	@FunctionalInterface
	private interface Resume {

		EventStream open(String lastEventId);

	}

	private record Reassembled(String question, Answer answer) {
	}

	private record Interrupted(String answerId, String lastEventId) {
	}

	/** An answer's tokens as received, and its done event. */
	private record Answer(List<JsonNode> tokens, JsonNode done, @Nullable String lastEventId) {

		String answerId() {
			return this.done.get("answerId").asString();
		}

		List<String> answerIds() {
			return this.tokens.stream().map((token) -> token.get("answerId").asString()).distinct().toList();
		}

		List<Integer> indexes() {
			return this.tokens.stream().map((token) -> token.get("index").asInt()).toList();
		}

		List<String> texts() {
			return this.tokens.stream().map((token) -> token.get("text").asString()).toList();
		}

		int doneTokens() {
			return this.done.get("tokens").asInt();
		}

	}

}
