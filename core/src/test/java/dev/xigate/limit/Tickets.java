package dev.xigate.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xigate.plan.ModelFamily;

/** Small helpers shared by the limiter tests. */
final class Tickets {
    private Tickets() {
    }

    static AdmissionRequest request(int priority, String client, String id) {
        return AdmissionRequest.of(ModelFamily.MULTILINGUAL, priority, client, 0, id);
    }

    static Permit permitOf(Ticket ticket) {
        assertThat(ticket.result()).isCompleted();
        Admission admission = ticket.result().join();
        assertThat(admission).isInstanceOf(Admission.Granted.class);
        return ((Admission.Granted) admission).permit();
    }

    static Admission.Rejected rejectionOf(Ticket ticket) {
        assertThat(ticket.result()).isCompleted();
        Admission admission = ticket.result().join();
        assertThat(admission).isInstanceOf(Admission.Rejected.class);
        return (Admission.Rejected) admission;
    }

    static String requestIdOf(Ticket ticket) {
        return ((PoolPermit) permitOf(ticket)).request.requestId();
    }
}
