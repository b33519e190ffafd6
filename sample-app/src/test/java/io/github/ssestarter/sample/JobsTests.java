package io.github.ssestarter.sample;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import io.github.ssestarter.sample.SampleClient.EventStream;
import io.github.ssestarter.wire.SseEvent;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jobs over real HTTP: a finite stream of progress that ends at 100 percent, resumable where it
 * left off.
 */
class JobsTests extends AbstractSampleTests {

	@Test
	void progressRisesToOneHundredAndThenTheStreamEnds() {
		HttpResponse<String> started = this.client.post("/api/jobs", "application/json", "");
		assertThat(started.statusCode()).isEqualTo(202);
		JsonNode answer = this.client.json(started);
		assertThat(answer.propertyNames()).containsExactly("jobId");
		String jobId = answer.get("jobId").asString();
		assertThat(started.headers().firstValue("Location")).hasValue("/api/jobs/" + jobId + "/progress");

		List<JsonNode> progress = new ArrayList<>();
		try (EventStream stream = this.client.stream("/api/jobs/" + jobId + "/progress")) {
			assertThat(stream.status()).isEqualTo(200);
			for (SseEvent event = stream.next(); event != null; event = stream.next()) {
				assertThat(event.eventType()).isEqualTo("progress");
				progress.add(this.client.json(event));
			}
		}
		assertThat(progress).allSatisfy((each) -> assertThat(each.propertyNames())
			.containsExactlyInAnyOrder("percent", "status"));
		List<Integer> percents = progress.stream().map((each) -> each.get("percent").asInt()).toList();
		assertThat(percents).isSorted().doesNotHaveDuplicates().last().isEqualTo(100);
		assertThat(progress.get(progress.size() - 1).get("status").asString()).isEqualTo("done");
		assertThat(progress.subList(0, progress.size() - 1))
			.allSatisfy((each) -> assertThat(each.get("status").asString()).isEqualTo("running"));
	}

	@Test
	void finishedJobAnswersWithItsLastProgressAndEnds() {
		String jobId = this.client.json(this.client.post("/api/jobs", "application/json", "")).get("jobId").asString();
		try (EventStream stream = this.client.stream("/api/jobs/" + jobId + "/progress")) {
			while (stream.next() != null) {
				// Until it is done.
			}
		}
		try (EventStream again = this.client.stream("/api/jobs/" + jobId + "/progress")) {
			assertThat(this.client.json(again.next()).get("percent").asInt()).isEqualTo(100);
			assertThat(again.next()).isNull();
		}
	}

	@Test
	void progressResumedWithLastEventIdContinuesWhereItLeftOffWithEveryStepMissedMeanwhile() {
		String jobId = startJob();
		String progressPath = "/api/jobs/" + jobId + "/progress";
		SseEvent first;
		try (EventStream stream = this.client.stream(progressPath)) {
			first = stream.next();
		}
		int seen = this.client.json(first).get("percent").asInt();
		// Another client follows the job to its end, so that the first one misses every later step.
		try (EventStream other = this.client.stream(progressPath)) {
			while (other.next() != null) {
				// Until it is done.
			}
		}
		List<Integer> rest = new ArrayList<>();
		try (EventStream resumed = this.client.stream(progressPath, "Last-Event-ID", first.lastEventId())) {
			assertThat(resumed.status()).isEqualTo(200);
			for (SseEvent event = resumed.next(); event != null; event = resumed.next()) {
				rest.add(this.client.json(event).get("percent").asInt());
			}
		}
		List<Integer> steps = new ArrayList<>();
		for (int percent = seen + 10; percent <= 100; percent += 10) {
			steps.add(percent);
		}
		assertThat(rest).containsExactlyElementsOf(steps);
	}

	@Test
	void reconnectingAfterDoneWasReceivedGets204() {
		String progressPath = "/api/jobs/" + startJob() + "/progress";
		SseEvent last = null;
		try (EventStream stream = this.client.stream(progressPath)) {
			for (SseEvent event = stream.next(); event != null; event = stream.next()) {
				last = event;
			}
		}
		assertThat(this.client.json(last).get("status").asString()).isEqualTo("done");
		try (EventStream again = this.client.stream(progressPath, "Last-Event-ID", last.lastEventId())) {
			assertThat(again.status()).isEqualTo(204);
		}
	}

	@Test
	void unknownJobIsAnsweredWith404InsteadOfAStream() {
		try (EventStream stream = this.client.stream("/api/jobs/no-such-job/progress")) {
			assertThat(stream.status()).isEqualTo(404);
			assertThat(stream.header("Content-Type")).isEqualTo("application/problem+json");
		}
	}

	private String startJob() {
		HttpResponse<String> started = this.client.post("/api/jobs", "application/json", "");
		assertThat(started.statusCode()).isEqualTo(202);
		return this.client.json(started).get("jobId").asString();
	}

}
