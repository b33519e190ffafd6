package io.github.ssestarter.sample;

import io.github.ssestarter.SseEndpoint;
import io.github.ssestarter.SseItem;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Flux;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * An assistant that streams its answers: {@code token} events, then one {@code done}. The stream
 * is resumable, so a client that loses its connection and comes back with its last event id
 * within two minutes gets the rest of the same answer, without the answer being generated again;
 * only the user who asked (or anyone, for a question asked anonymously) may resume it.
 */
@RestController
class AnswerController {

	private final AnswerGenerator generator;

	AnswerController(AnswerGenerator generator) {
		this.generator = generator;
	}

	@GetMapping("/api/answers/stream")
	@SseEndpoint(resumeWindow = "2m")
	Flux<SseItem<AnswerEvent>> stream(@RequestParam @Size(min = 1, max = 500) String q) {
		// No ids here: the starter gives each event one that names the stream and the position.
		return this.generator.answer(q)
			.map((event) -> SseItem.of((event instanceof AnswerEvent.Done) ? "done" : "token", event));
	}

}
