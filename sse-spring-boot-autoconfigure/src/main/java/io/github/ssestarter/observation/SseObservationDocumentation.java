package io.github.ssestarter.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations the starter records. Low-cardinality key values (which also become meter tags)
 * hold fixed words and route templates only; topic names and event ids are high-cardinality (span
 * tags only).
 */
public enum SseObservationDocumentation implements ObservationDocumentation {

	/**
	 * A call to {@code SseBroadcaster.publish*}: a sender whose trace context travels with the event.
	 */
	PUBLISH {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSsePublishObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return PublishLowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return PublishHighCardinalityKeyNames.values();
		}

	},

	/**
	 * An instance handing a published event to its subscribers of the topic: a receiver of the
	 * publication's trace context, once per event and instance, however many subscribers there are.
	 */
	DELIVERY {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSseDeliveryObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return DeliveryLowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return DeliveryHighCardinalityKeyNames.values();
		}

	},

	/**
	 * One event stream, from the moment it opens to its end.
	 */
	STREAM {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultSseStreamObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return StreamLowCardinalityKeyNames.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return StreamHighCardinalityKeyNames.values();
		}

	};

	/** Low-cardinality keys of {@link #PUBLISH}. */
	public enum PublishLowCardinalityKeyNames implements KeyName {

		/** Where topics live: {@code memory}, or the backplane's name, such as {@code redis}. */
		BACKPLANE {
			@Override
			public String asString() {
				return "backplane";
			}
		},

		/** Whether the event is addressed to some users only: {@code true} or {@code false}. */
		ADDRESSED {
			@Override
			public String asString() {
				return "addressed";
			}
		},

		/** The simple class name of what the publication threw, or {@code none}. */
		EXCEPTION {
			@Override
			public String asString() {
				return "exception";
			}
		}

	}

	/** High-cardinality keys of {@link #PUBLISH}. */
	public enum PublishHighCardinalityKeyNames implements KeyName {

		/** The topic. */
		TOPIC {
			@Override
			public String asString() {
				return "sse.topic";
			}
		},

		/** The id the event was given, once known. */
		EVENT_ID {
			@Override
			public String asString() {
				return "sse.event.id";
			}
		}

	}

	/** Low-cardinality keys of {@link #DELIVERY}. */
	public enum DeliveryLowCardinalityKeyNames implements KeyName {

		/** Where topics live: {@code memory}, or the backplane's name, such as {@code redis}. */
		BACKPLANE {
			@Override
			public String asString() {
				return "backplane";
			}
		},

		/** Whether the event is addressed to some users only: {@code true} or {@code false}. */
		ADDRESSED {
			@Override
			public String asString() {
				return "addressed";
			}
		}

	}

	/** High-cardinality keys of {@link #DELIVERY}. */
	public enum DeliveryHighCardinalityKeyNames implements KeyName {

		/** The topic. */
		TOPIC {
			@Override
			public String asString() {
				return "sse.topic";
			}
		},

		/** The event's id. */
		EVENT_ID {
			@Override
			public String asString() {
				return "sse.event.id";
			}
		},

		/** How many subscribers of the topic this instance had when the event reached it. */
		SUBSCRIBERS {
			@Override
			public String asString() {
				return "sse.subscribers";
			}
		}

	}

	/** Low-cardinality keys of {@link #STREAM}. */
	public enum StreamLowCardinalityKeyNames implements KeyName {

		/** The route template of the request that opened the stream, such as {@code /topics/{topic}}. */
		ENDPOINT {
			@Override
			public String asString() {
				return "endpoint";
			}
		},

		/**
		 * How the stream ended: {@code completed}, {@code client-closed}, {@code timeout},
		 * {@code error} or {@code overflow}; {@code open} while it is open (as the
		 * {@code sse.stream.active} meter of Micrometer's meter handler sees it).
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/** High-cardinality keys of {@link #STREAM}. */
	public enum StreamHighCardinalityKeyNames implements KeyName {

		/** The broadcaster topic the stream delivers, absent for a {@code Stream} or {@code Flux}. */
		TOPIC {
			@Override
			public String asString() {
				return "sse.topic";
			}
		}

	}

}
