import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** A candidate's act refused by their own enrollment: the domain's code and message, nothing else. */
export class CandidateRefusal {
  @ApiProperty({ example: 'ENROLLMENT.WITHDRAWN' }) code!: string;
  @ApiProperty({ example: 'the enrollment is withdrawn' }) message!: string;
}

export class CandidateScheduledView {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty({ enum: ['scheduled', 'refused'], description: 'scheduled: their sitting is on their path; refused: nothing was written for them' })
  status!: 'scheduled' | 'refused';
  @ApiPropertyOptional({ format: 'uuid', description: 'Their sitting (derived from the session and the enrollment), when scheduled' })
  sittingId?: string;
  @ApiPropertyOptional({ type: CandidateRefusal }) refusal?: CandidateRefusal;
}

export class SessionScheduledView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'session-5f1c…' }) streamId!: string;
  @ApiProperty({ type: 'string', nullable: true, description: 'Global position of the last event written; pass it as consistentWith to queries' })
  position!: string | null;
  @ApiProperty({ type: [CandidateScheduledView] }) candidates!: CandidateScheduledView[];
}

export class CandidateHeldView {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty({
    enum: ['held', 'absent', 'refused'],
    description: 'held: their sitting is recorded held on their path; absent: nothing written for them; refused: nothing written, see refusal',
  })
  status!: 'held' | 'absent' | 'refused';
  @ApiPropertyOptional({ type: CandidateRefusal }) refusal?: CandidateRefusal;
}

export class SessionHeldView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ type: 'string', nullable: true }) position!: string | null;
  @ApiProperty({ type: [CandidateHeldView] }) candidates!: CandidateHeldView[];
}

export class SessionTimetableView {
  @ApiProperty({ format: 'date-time' }) startsAt!: string;
  @ApiProperty({ type: 'integer', nullable: true, description: 'The épreuve’s timed parts end to end, as the référentiel gives them' })
  baseDurationMinutes!: number | null;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'When the last sitting ends, each candidate with their own effective durations; whose is never said',
  })
  latestEndAt!: string | null;
}

export class SessionCandidateView {
  @ApiProperty({ format: 'uuid' }) enrollmentId!: string;
  @ApiProperty() candidateId!: string;
  @ApiProperty() cohort!: string;
  @ApiProperty({ format: 'uuid' }) sittingId!: string;
  @ApiProperty({
    enum: ['not-scheduled', 'scheduled', 'held', 'assessed'],
    description: 'Their sitting as their path says: not-scheduled when their enrollment refused it',
  })
  sittingStatus!: 'not-scheduled' | 'scheduled' | 'held' | 'assessed';
  @ApiPropertyOptional({ enum: ['held', 'absent', 'refused'], description: 'What the last record of the session said of them' })
  recorded?: 'held' | 'absent' | 'refused';
  @ApiPropertyOptional({ description: 'The code their enrollment refused the record with' }) refusalCode?: string;
}

export class SessionTimedPartView {
  @ApiProperty() code!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: 'integer' }) baseDurationMinutes!: number;
}

export class SessionView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() referentialId!: string;
  @ApiProperty() version!: string;
  @ApiProperty() epreuveCode!: string;
  @ApiProperty() epreuveTitle!: string;
  @ApiProperty({ type: [SessionTimedPartView] }) timedParts!: SessionTimedPartView[];
  @ApiProperty() place!: string;
  @ApiProperty({ type: [String] }) assessorIds!: string[];
  @ApiProperty({ enum: ['scheduled', 'held'] }) status!: 'scheduled' | 'held';
  @ApiPropertyOptional({ format: 'date-time' }) heldAt?: string;
  @ApiProperty({ type: SessionTimetableView }) timetable!: SessionTimetableView;
  @ApiProperty({ type: [SessionCandidateView] }) candidates!: SessionCandidateView[];
}
