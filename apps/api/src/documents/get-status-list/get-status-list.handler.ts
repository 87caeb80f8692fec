import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { NotFoundError } from '@jalon/domain';
import { PublishedStatusList, StatusListPublisher } from '@jalon/issuance';
import { GetStatusListQuery } from './get-status-list.query';

const LIST_NUMBER = /^(0|[1-9]\d{0,9})$/;

@QueryHandler(GetStatusListQuery)
export class GetStatusListHandler implements IQueryHandler<GetStatusListQuery, PublishedStatusList> {
  constructor(private readonly publisher: StatusListPublisher) {}

  async execute({ issuer, list }: GetStatusListQuery): Promise<PublishedStatusList> {
    const published = LIST_NUMBER.test(list) ? await this.publisher.publish(issuer, Number(list)) : undefined;
    if (!published) throw new NotFoundError('STATUS_LIST.NOT_FOUND', `no status list ${list} of issuer ${issuer}`);
    return published;
  }
}
