import { ApiProperty } from '@nestjs/swagger';
import { CommandResult, formatPosition } from '@jalon/event-store';

/** What every command answers: where the stream and the global log stand after it. */
export class CommandOutcome {
  @ApiProperty({ example: 'enrollment-5f1c…', description: 'The stream the command wrote to' })
  streamId!: string;

  @ApiProperty({ type: 'integer', example: 4, nullable: true, description: 'Stream revision after the command (null if the stream does not exist)' })
  revision!: number | null;

  @ApiProperty({
    type: 'string',
    example: '1042-5531',
    nullable: true,
    description: 'Global position of the last event written; pass it as consistentWith to queries. Null when nothing was written.',
  })
  position!: string | null;

  @ApiProperty({ type: [String], example: ['BlocValidated'], description: 'Types of the events the command appended' })
  events!: string[];

  static of(streamId: string, result: CommandResult<{ type: string }>): CommandOutcome {
    return {
      streamId,
      revision: result.nextExpectedRevision,
      position: result.position ? formatPosition(result.position) : null,
      events: result.events.map((e) => e.type),
    };
  }
}

/** What a command that creates something answers: its id, and where the stream and the global log stand. */
export class CreatedOutcome extends CommandOutcome {
  @ApiProperty({ format: 'uuid', description: 'Id of what the command created (enrollment, sitting, accommodation, assessment, correction)' })
  id!: string;
}
